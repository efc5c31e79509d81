import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './support/redis-server.js';
import { type LogLine, ServiceProcess } from './support/service-process.js';
import { deleteRedisKeys } from './support/redis-server.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from './support/test-app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-settings.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const INFO = 30;
/** Nest's own start-up lines: a line per module, per controller and per route. */
const FRAMEWORK_CONTEXTS = ['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer'];
const DATABASE_PASSWORD = 'never-printed-password';

const atInfoOrAbove = (line: LogLine) => line.level === undefined || line.level >= INFO;
const forRequest = (id: string) => (line: LogLine) => line.reqId === id && line.msg !== undefined && /^[A-Z]+ \S+ \d{3} \d+ ms$/.test(line.msg);

describe('Operations logs: what the service says as it starts, answers and stops (on PostgreSQL and Redis)', () => {
  const queuePrefix = `renfort-test-logs-${randomUUID().slice(0, 8)}`;
  let service: ServiceProcess;
  let listening: LogLine;
  let token: string;
  let adminId: string;

  beforeAll(async () => {
    // A password in DATABASE_URL, which the server (trust authentication here) ignores and the log must not show.
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.password = DATABASE_PASSWORD;
    service = new ServiceProcess(await freePort(), {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
    });
    service.start();
    listening = await service.line((line) => line.context === 'Renfort' && /listening/.test(line.msg ?? ''));

    const login = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'logs-login' },
      body: JSON.stringify(TEST_ADMIN),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    adminId = ((await (await fetch(`${service.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await deleteRedisKeys(TEST_REDIS_URL, `${queuePrefix}:*`);
  });

  it('says in one line where it listens, on which database and queues, and which version runs', async () => {
    const port = service.port;
    expect(listening.level).toBe(INFO);
    expect(listening.msg).toContain(`Renfort ${VERSION} listening on http://localhost:${port}`);
    expect(listening.msg).toContain(`API http://localhost:${port}/api/v1`);
    expect(listening.msg).toContain(`API docs http://localhost:${port}/api/docs`);
    expect(listening.msg).toContain(`PostgreSQL at 127.0.0.1:5432${new URL(TEST_DATABASE_URL).pathname}`);
    expect(listening.msg).toContain('queues in Redis at 127.0.0.1:6379');
    expect(listening).toMatchObject({ version: VERSION, api: `http://localhost:${port}/api/v1`, docs: `http://localhost:${port}/api/docs` });
    expect(service.output).not.toContain(DATABASE_PASSWORD);
    // The addresses it names answer.
    expect((await fetch(`${service.url}/api/docs`)).status).toBe(200);
  });

  it("keeps Nest's module and route mapping lines out of the info level", () => {
    const lines = service.lines();
    const chatter = lines.filter((line) => atInfoOrAbove(line) && (FRAMEWORK_CONTEXTS.includes(String(line.context)) || /Mapped \{/.test(line.text)));
    expect(chatter.map((line) => line.text)).toEqual([]);
    // Up to its listening line: at most the backends, the migrations of a new database and the initial ADMIN.
    expect(lines.slice(0, lines.findIndex((line) => line.text === listening.text) + 1).filter(atInfoOrAbove).length).toBeLessThanOrEqual(15);
  });

  it('logs a request once: method, route pattern, status, duration, request id, user and role, no headers', async () => {
    const response = await fetch(`${service.url}/api/v1/directorates/DGSCGC/contacts?page=1`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'logs-contacts', 'x-custom-header': 'not-for-the-log' },
    });
    expect(response.status).toBe(200);
    const line = await service.line(forRequest('logs-contacts'));
    expect(line).toMatchObject({
      level: INFO,
      method: 'GET',
      route: '/api/v1/directorates/:code/contacts',
      statusCode: 200,
      responseTime: expect.any(Number),
      userId: adminId,
      role: 'ADMIN',
      msg: expect.stringMatching(/^GET \/api\/v1\/directorates\/:code\/contacts 200 \d+ ms$/),
    });
    expect(service.lines().filter((candidate) => candidate.reqId === 'logs-contacts' && candidate.msg === line.msg)).toHaveLength(1);
    for (const secret of ['headers', 'not-for-the-log', token, 'authorization']) expect(line.text).not.toContain(secret);
  });

  it('logs a sign-in without a user yet, and never its body', async () => {
    const line = await service.line(forRequest('logs-login'));
    expect(line).toMatchObject({ method: 'POST', route: '/api/v1/auth/login', statusCode: 200 });
    expect(line).not.toHaveProperty('userId');
    expect(line.text).not.toContain(TEST_ADMIN.password);
  });

  it('names the route of a request refused before its handler, without a user', async () => {
    const response = await fetch(`${service.url}/api/v1/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'logs-refused' },
      body: JSON.stringify({ legalName: 'Anonyme SAS' }),
    });
    expect(response.status).toBe(401);
    const line = await service.line(forRequest('logs-refused'));
    expect(line).toMatchObject({ level: 40, method: 'POST', route: '/api/v1/members', statusCode: 401 });
    expect(line).not.toHaveProperty('userId');
  });

  it('names an unmatched path without its query string, at warn', async () => {
    await fetch(`${service.url}/api/v1/no-such-thing?secret=abc`, { headers: { 'x-request-id': 'logs-unmatched' } });
    const line = await service.line(forRequest('logs-unmatched'));
    expect(line).toMatchObject({ level: 40, path: '/api/v1/no-such-thing', statusCode: 404 });
    expect(line.text).not.toContain('secret=abc');
  });

  it('writes nothing at info for /health, with or without a query string', async () => {
    for (const [id, url] of [['logs-health', '/health'], ['logs-health-query', '/health?probe=1']]) {
      expect((await fetch(`${service.url}${url}`, { headers: { 'x-request-id': id } })).status).toBe(200);
    }
    // A request after them: once its line is out, theirs would be too.
    await fetch(`${service.url}/api/v1/categories`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'logs-after-health' } });
    await service.line(forRequest('logs-after-health'));
    expect(service.lines().filter((line) => String(line.reqId).startsWith('logs-health') || /\/health/.test(line.text))).toEqual([]);
  });

  it('says when it begins to stop and when it has stopped, on SIGTERM', async () => {
    expect(await service.stop()).toBe(0);
    const shutdown = service.lines().filter((line) => line.context === 'Shutdown');
    expect(shutdown.map((line) => [line.level, line.msg])).toEqual([
      [INFO, expect.stringMatching(/^Stopping on SIGTERM: /)],
      [INFO, expect.stringMatching(/^Stopped cleanly in \d+ ms$/)],
    ]);
    expect(service.lines().at(-1)?.context).toBe('Shutdown');
  });
});

describe('Operations logs in the embedded mode', () => {
  let dataRoot: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    dataRoot = await mkdtemp(path.join(tmpdir(), 'renfort-logs-'));
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('names the embedded database directory and the queues on PostgreSQL in its listening line', async () => {
    const dataDir = path.join(dataRoot, 'pgdata');
    service = new ServiceProcess(await freePort(), { EMBEDDED_DATA_DIR: dataDir });
    service.start();
    const listening = await service.line((line) => line.context === 'Renfort' && /listening/.test(line.msg ?? ''));
    expect(listening.msg).toContain(`data in embedded PostgreSQL in ${dataDir}, queues in PostgreSQL (schema bullmq)`);
    // The trial mode is said on that one line, as a warning, not in a banner of its own.
    expect(listening.level).toBe(40);
    expect(listening.msg).toMatch(/^EMBEDDED MODE, NOT FOR PRODUCTION/);
    expect(service.lines().filter((line) => line.level === undefined).map((line) => line.text)).toEqual([]);
    expect(await service.stop()).toBe(0);
  }, 120_000);
});
