import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import type { Queue } from 'bullmq';
import { IN_MEMORY } from '../src/common/database/embedded/embedded-postgres.js';
import { bearer, TestApp } from './support/test-app.js';

/** The path with one letter percent-encoded, as a router decodes it before matching. */
function encodedSpelling(path: string): string {
  return path.replace(/[a-z]/, (letter) => `%${letter.charCodeAt(0).toString(16)}`);
}

const SAMPLE_PARAMS: Record<string, string> = { queueName: 'notifications', jobId: 'some-job', queueStatus: 'failed', schedulerId: 'some-scheduler' };

/** Every dashboard route, read and write, as the board's own route table declares them, with concrete values. */
function dashboardRoutes(): [string, string][] {
  const routes: [string, string][] = [];
  const add = (methods: string | string[], paths: string | string[]) => {
    for (const method of [methods].flat()) {
      for (const path of [paths].flat()) routes.push([method.toUpperCase(), `/admin/queues${path.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name])}`]);
    }
  };
  add(appRoutes.entryPoint.method, appRoutes.entryPoint.route);
  for (const route of appRoutes.api) add(route.method, route.route);
  return routes;
}

describe('Queue dashboard (Bull Board) at /admin/queues', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (method: string, path: string) => t.http[method.toLowerCase() as 'get'](path);

  it('answers 401 without a valid token, in the one error shape', async () => {
    const missing = await t.http.get('/admin/queues').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_MISSING' });
    const forged = await t.http.get('/admin/queues/api/queues').set(bearer('not.a.token')).expect(401);
    expect(forged.body).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses every route, read and write, to anyone but an ADMIN, whatever the spelling of the path', async () => {
    const { token } = await t.signedInUser('CRISIS_OPERATOR');
    const paused = () => t.app.get<Queue>(getQueueToken('notifications'), { strict: false }).isPaused();
    const problems: string[] = [];
    const routes = dashboardRoutes();
    expect(routes.length).toBeGreaterThan(35);
    for (const [method, path] of routes) {
      for (const spelling of [path, encodedSpelling(path), path.replace('/queues', '/%71ueues')]) {
        const anonymous = await send(method, spelling).send({});
        if (anonymous.status !== 401) problems.push(`${method} ${spelling} without a token: ${anonymous.status}`);
        const operator = await send(method, spelling).set(bearer(token)).send({});
        if (operator.status !== 403) problems.push(`${method} ${spelling} as CRISIS_OPERATOR: ${operator.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await paused()).toBe(false);
  });

  it('shows every queue of the service to an ADMIN, with its workers present when they run', async () => {
    const admin = await t.adminToken();
    const page = await t.http.get('/admin/queues').set(bearer(admin)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await t.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    expect(api.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
      ['convention-calendar', 'domain-events', 'idempotency-purge', 'notification-sweeps', 'notifications'],
    );
    for (const queue of api.body.queues) expect({ queue: queue.name, hasWorkers: queue.hasWorkers }).toEqual({ queue: queue.name, hasWorkers: true });
  });

  it('loads nothing from other hosts on its page', async () => {
    const page = await t.http.get('/admin/queues').set(bearer(await t.adminToken())).expect(200);
    const references = [...page.text.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.length).toBeGreaterThan(2);
    expect(references.filter((reference) => /^(?:[a-z]+:)?\/\//i.test(reference))).toEqual([]);
  });

  /** The audit log's last sequence: the suites share one database, each test reads what came after. */
  async function lastSequence(): Promise<number> {
    await t.sealEvents();
    return Number((await t.db.query(`SELECT coalesce(max(sequence), 0) AS last FROM audit_event`))[0].last);
  }

  it('records each write in the audit log with the ADMIN who made it', async () => {
    const admin = await t.adminToken();
    const queue = `q-${randomUUID().slice(0, 8)}`;
    const before = await lastSequence();
    await t.http.put('/admin/queues/api/queues/notifications/pause').set(bearer(admin)).expect(200);
    await t.http.put('/admin/queues/api/queues/notifications/resume').set(bearer(admin)).expect(200);
    await t.http.put('/admin/queues/api/queues/notifications/clean/completed').set(bearer(admin)).expect(200);
    const unknown = await t.http.put(`/admin/queues/api/queues/${queue}/retry/failed`).set(bearer(admin)).expect(404);
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'QUEUE_DASHBOARD.404', message: expect.any(String) });
    const [{ id: adminId }] = await t.db.query(`SELECT id FROM users WHERE email = 'admin@renfort.test'`);
    await t.sealEvents();
    const events = await t.db.query(
      `SELECT actor_id, actor_role, aggregate_id, payload FROM audit_event WHERE type = 'QueueOperatedFromDashboard' AND sequence > $1 ORDER BY sequence`,
      [before],
    );
    const mine = events.filter((event: { aggregate_id: string }) => ['notifications', queue].includes(event.aggregate_id));
    expect(mine.map((event: { payload: { operation: string; route: string } }) => [event.payload.operation, event.payload.route])).toEqual([
      ['pause', '/api/queues/:queueName/pause'],
      ['resume', '/api/queues/:queueName/resume'],
      ['clean', '/api/queues/:queueName/clean/:queueStatus'],
      ['retry', '/api/queues/:queueName/retry/:queueStatus'],
    ]);
    for (const event of mine) expect(event).toMatchObject({ actor_id: adminId, actor_role: 'ADMIN' });
  });

  it('refuses to add a job or change a job\'s data by hand, and records the attempt', async () => {
    const admin = await t.adminToken();
    const before = await lastSequence();
    const notifications = t.app.get<Queue>(getQueueToken('notifications'), { strict: false });
    const forgedActivation = randomUUID();
    const forged = await t.http
      .post('/admin/queues/api/queues/notifications/add')
      .set(bearer(admin))
      .send({ name: 'deliver', data: { kind: 'requested', activationId: forgedActivation, memberId: randomUUID() } })
      .expect(403);
    expect(forged.body).toMatchObject({ statusCode: 403, code: 'QUEUE_DASHBOARD.JOB_DATA_REFUSED' });
    await t.http.patch('/admin/queues/api/queues/notifications/any-job/update-data').set(bearer(admin)).send({ data: {} }).expect(403);
    // The service's own jobs come and go meanwhile: what must be absent is the forged one.
    const jobs = await notifications.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed']);
    expect(jobs.filter((job) => (job?.data as { activationId?: string } | undefined)?.activationId === forgedActivation)).toEqual([]);
    await t.sealEvents();
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM audit_event WHERE type = 'QueueOperatedFromDashboard' AND payload->>'operation' IN ('add', 'update-data') AND sequence > $1`,
      [before],
    );
    expect(count).toBe(2);
  });

  it('is not under the API prefix', async () => {
    await t.http.get('/api/v1/admin/queues').set(bearer(await t.adminToken())).expect(404);
  });
});

describe('Queue dashboard in the embedded mode (queues on PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: IN_MEMORY } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the workers of this process as present on every queue', async () => {
    const admin = await t.adminToken();
    const api = await t.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    expect(api.body.queues.map((queue: { name: string; hasWorkers: boolean }) => [queue.name, queue.hasWorkers])).toEqual(
      api.body.queues.map((queue: { name: string }) => [queue.name, true]),
    );
    const workers = await t.http.get('/admin/queues/api/queues/notifications/workers').set(bearer(admin)).expect(200);
    expect(workers.body.workers).toHaveLength(1);
  });
});
