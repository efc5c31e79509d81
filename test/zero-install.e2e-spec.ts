import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runDemo } from '../demo/run.js';

const ENTRY = path.resolve('dist/src/main.js');
const GUARD = path.resolve('test/support/no-local-servers.mjs');
/** The development defaults a fresh clone signs in with. */
const DEFAULT_ADMIN = { email: 'admin@renfort.local', password: 'renfort-admin-dev-password' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start` as a fresh clone runs it: no DATABASE_URL, no REDIS_URL, nothing but PATH. */
class Service {
  readonly output: string[] = [];
  private child: ChildProcess | null = null;
  exit: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output.join('');
  }

  start(): void {
    const child = spawn(process.execPath, ['--import', GUARD, ENTRY], {
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port), LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '10', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => this.output.push(String(chunk)));
    child.stderr?.on('data', (chunk) => this.output.push(String(chunk)));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  async healthy(timeoutMs = 90_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`The service stopped:\n${this.log}`);
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.status === 200) return (await response.json()) as Record<string, unknown>;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`No healthy answer within ${timeoutMs} ms:\n${this.log}`);
  }

  /** SIGTERM, as a terminal's Ctrl-C or a container stop; answers the exit code. */
  async stop(): Promise<number | null> {
    this.child?.kill('SIGTERM');
    return this.exit;
  }
}

const silently = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('Zero-install start: npm start with nothing configured, no PostgreSQL or Redis server used', () => {
  let dataRoot: string;
  let service: Service;

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does it first)`);
    dataRoot = await mkdtemp(path.join(tmpdir(), 'renfort-zero-install-'));
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('serves /health on the embedded database with queues on PostgreSQL, and says loudly it is not for production', async () => {
    service = new Service(await freePort(), { EMBEDDED_DATA_DIR: path.join(dataRoot, 'pgdata') });
    service.start();
    const health = await service.healthy();
    expect(health).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, queues: { status: 'up', backend: 'PostgreSQL (schema bullmq)' } } });
    expect(service.log).toContain('EMBEDDED MODE, NOT FOR PRODUCTION');
    expect(existsSync(path.join(dataRoot, 'pgdata.lock'))).toBe(true);
  }, 120_000);

  it('runs the demo to its report, the same as GET /activations/:id/report', async () => {
    const result = await runDemo({
      baseUrl: service.url, admin: DEFAULT_ADMIN, members: 6, assets: 24, delayScale: 0.02, seed: 7,
      output: silently(), outputDir: path.join(dataRoot, 'demo'), progressIntervalMs: 1000,
    });
    expect(result.timedOut).toBe(false);
    const token = await signIn(service.url);
    const served = await fetch(`${service.url}/api/v1/activations/${result.activationId}/report`, { headers: { authorization: `Bearer ${token}` } });
    expect(result.report).toEqual(await served.json());
    expect(result.report).toMatchObject({ exercise: true, status: 'CLOSED' });
    expect(result.report.requestCount).toBeGreaterThan(0);
    expect(existsSync(result.csvPath)).toBe(true);
  }, 180_000);

  it('answers the README walkthrough, pasted as it is into a shell', async () => {
    const readme = await readFile('README.md', 'utf8');
    const script = /### Walkthrough[^]*?```bash\n([^]*?)```/.exec(readme)?.[1];
    expect(script).toContain('API=http://localhost:3000/api/v1');
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script!.replace('http://localhost:3000', service.url)], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('"status": "ACCEPTED"');
    expect(run.stdout).toMatch(/^memberId,memberName,requests,/m);
  }, 90_000);

  it('stops cleanly on SIGTERM and keeps everything across a restart', async () => {
    const token = await signIn(service.url);
    const membersBefore = await memberCount(service.url, token);
    expect(await service.stop()).toBe(0);
    expect(existsSync(path.join(dataRoot, 'pgdata.lock'))).toBe(false);

    service = new Service(service.port, { EMBEDDED_DATA_DIR: path.join(dataRoot, 'pgdata') });
    service.start();
    await service.healthy();
    expect(await memberCount(service.url, await signIn(service.url))).toBe(membersBefore);
  }, 120_000);

  it('refuses a second process on the same data directory, naming the one that holds it', async () => {
    const second = new Service(await freePort(), { EMBEDDED_DATA_DIR: path.join(dataRoot, 'pgdata') });
    second.start();
    try {
      expect(await Promise.race([second.exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))])).toBe(1);
      expect(second.log).toMatch(/The embedded database in .*pgdata is in use by process \d+/);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('never touched the local PostgreSQL or Redis ports', () => {
    expect(service.log).not.toContain('FORBIDDEN CONNECTION');
  });
});

describe('Configured servers are used or start-up stops: never a silent fallback', () => {
  it('fails fast, naming DATABASE_URL, when the database server cannot be reached', async () => {
    const service = new Service(await freePort(), { DATABASE_URL: 'postgres://renfort@127.0.0.1:1/renfort' });
    const started = Date.now();
    service.start();
    expect(await service.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(service.log).toMatch(/Cannot use PostgreSQL at 127\.0\.0\.1:1\/renfort \(DATABASE_URL\)/);
    expect(service.log).not.toContain('EMBEDDED MODE');
  }, 30_000);

  it('fails fast, naming REDIS_URL, when the Redis server cannot be reached', async () => {
    const service = new Service(await freePort(), { EMBEDDED_DATA_DIR: 'memory://', REDIS_URL: 'redis://127.0.0.1:1' });
    service.start();
    expect(await service.exit).toBe(1);
    expect(service.log).toMatch(/Cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\)/);
  }, 30_000);
});

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEFAULT_ADMIN),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function memberCount(baseUrl: string, token: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/members`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { total: number }).total;
}
