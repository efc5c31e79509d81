import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { TestRedisServer } from './support/redis-server.js';
import { seedResponders } from './support/seed.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { WorkerProcess } from './support/worker-process.js';
import { FixedClock } from '../src/common/time/clock.js';
import { NotificationSweeper } from '../src/crisis/notifications/notification-sweeper.js';
import pg from 'pg';
import { TEST_DATABASE_URL } from './test-settings.js';

/** What each fault test injected and what it found afterwards: printed as a table at the end. */
const outcomes: { fault: string; outcome: string }[] = [];
afterAll(() => {
  const width = Math.max(...outcomes.map((o) => o.fault.length), 5);
  process.stdout.write(
    ['faults injected:', ...outcomes.map((o) => `  ${o.fault.padEnd(width)}  ${o.outcome}`)].join('\n') + '\n',
  );
});

const notifiedCount = async (t: TestApp, activationId: string) =>
  (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n as number;

/** Every member reached, under one delivery id only, every request notified once, the chain intact. */
async function expectDeliveredOnce(t: TestApp, receiver: WebhookReceiver, members: { path: string }[], activationId: string, total: number) {
  for (const member of members) {
    const deliveries = receiver.to(member.path);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    expect(new Set(deliveries.map((d) => d.deliveryId)).size).toBe(1);
    expect(deliveries.every((d) => d.validSignature)).toBe(true);
  }
  await t.sealEvents();
  const notified = await t.db.query(
    `SELECT aggregate_id, count(*)::int AS n FROM audit_event WHERE type = 'MobilizationRequestNotified' AND payload->>'activationId' = $1 GROUP BY aggregate_id`,
    [activationId],
  );
  expect(notified).toHaveLength(total);
  expect(notified.every((row: { n: number }) => row.n === 1)).toBe(true);
  const rows = await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT asset_id)::int AS assets FROM mobilization_request WHERE activation_id = $1`, [activationId]);
  expect(rows[0]).toEqual({ n: total, assets: total });
  expect((await t.http.get('/api/v1/audit/verify').set(bearer(await t.adminToken())).expect(200)).body.valid).toBe(true);
}


describe('Activation under faults: a worker killed mid-delivery', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await t.close();
    await receiver.close();
  });

  it('delivers every request once from each member\'s point of view after kill -9 and restart', async () => {
    const category = await isolatedCategory(t);
    const seeded = await seedResponders(t.db, 300, category, (path) => receiver.url(path));
    for (const member of seeded) receiver.setSecret(member.path, member.secret);
    receiver.delayMs = 150;

    const first = new WorkerProcess(t.config);
    workers.push(first);
    first.start();
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 300 }]);
    const authorized = await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    expect(authorized.body.requestCount).toBe(300);

    await eventually(async () => receiver.deliveries.length >= 60, 30000, 10);
    await first.kill();
    const atCrash = receiver.deliveries.length;
    const notifiedAtCrash = (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n;
    expect(notifiedAtCrash).toBeLessThan(300);

    const second = new WorkerProcess(t.config);
    workers.push(second);
    second.start();
    await eventually(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n === 300,
      60000,
      200,
    );

    await expectDeliveredOnce(t, receiver, seeded, activationId, 300);
    outcomes.push({
      fault: 'worker process killed (SIGKILL) mid-fan-out, restarted',
      outcome: `killed after ${atCrash} deliveries (${notifiedAtCrash}/300 notified); 300/300 notified once, ${receiver.deliveries.length} HTTP deliveries, one delivery id per member, chain valid`,
    });
  });
});

describe('Activation under faults: Redis unavailable at authorization', () => {
  let redis: TestRedisServer;
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { REDIS_URL: redis.url, RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await redis.stop();
  });

  it('commits the authorization while Redis is down and delivers once it is back', async () => {
    const category = await isolatedCategory(t);
    const members = [await responder(t, actors.directorate, receiver, { category }), await responder(t, actors.directorate, receiver, { category })];
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);

    await redis.stop();
    const authorized = await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    expect(authorized.body).toMatchObject({ status: 'AUTHORIZED', requestCount: 2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.deliveries).toHaveLength(0);

    await redis.start();
    await eventually(async () => members.every((m) => receiver.to(m.path!).length === 1), 30000);
    await eventually(async () => (await notifiedCount(t, activationId)) === 2, 30000);
    outcomes.push({ fault: 'Redis down at authorization, back later', outcome: 'authorization committed; 2/2 delivered once Redis was back' });
  });
});

describe('Activation under faults: Redis restarted mid-fan-out, its queues lost', () => {
  const clock = new FixedClock(new Date());
  let redis: TestRedisServer;
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { REDIS_URL: redis.url, RELAY_INTERVAL_MS: '50' }, clock });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await redis.stop();
  });

  it('delivers every request once after Redis restarts empty in the middle of the deliveries', async () => {
    const category = await isolatedCategory(t);
    const seeded = await seedResponders(t.db, 150, category, (path) => receiver.url(path));
    for (const member of seeded) receiver.setSecret(member.path, member.secret);
    receiver.delayMs = 100;
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 150 }]);
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);

    await eventually(async () => receiver.deliveries.length >= 30, 30000, 10);
    await redis.stop();
    const atRestart = await notifiedCount(t, activationId);
    await redis.start();
    // Redis came back without its queues. The sweeper finds the requests still PENDING once
    // their grace period has passed, and queues their deliveries again.
    clock.advance(120_000);
    await eventually(async () => {
      await t.get(NotificationSweeper).sweep().catch(() => undefined);
      return (await notifiedCount(t, activationId)) === 150;
    }, 60000, 1000);
    await expectDeliveredOnce(t, receiver, seeded, activationId, 150);
    outcomes.push({
      fault: 'Redis killed and restarted empty mid-fan-out',
      outcome: `${atRestart}/150 notified at the restart; 150/150 notified once after the sweep, ${receiver.deliveries.length} HTTP deliveries, chain valid`,
    });
  });
});

describe('Activation under faults: PostgreSQL backend terminated during an authorization', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('answers 503 to the interrupted call and creates exactly one set of requests on the retry', async () => {
    const category = await isolatedCategory(t);
    const seeded = await seedResponders(t.db, 50, category, (path) => receiver.url(path));
    for (const member of seeded) receiver.setSecret(member.path, member.secret);
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 50 }]);

    // Hold the activation's row so that the authorization waits inside its transaction.
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM activation WHERE id = $1 FOR UPDATE', [activationId]);
    const interrupted = t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).then((r) => r);
    try {
      const pid = await eventually(async () => {
        const { rows } = await holder.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        return rows[0]?.pid as number | undefined;
      });
      await holder.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }

    const first = await interrupted;
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('DATABASE.UNAVAILABLE');
    expect(await t.db.query(`SELECT 1 FROM mobilization_request WHERE activation_id = $1`, [activationId])).toHaveLength(0);

    const retry = await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    expect(retry.body.requestCount).toBe(50);
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(409);
    await eventually(async () => (await notifiedCount(t, activationId)) === 50, 30000);
    await expectDeliveredOnce(t, receiver, seeded, activationId, 50);
    outcomes.push({
      fault: 'PostgreSQL backend terminated during authorization',
      outcome: 'interrupted call answered 503 with nothing written; retry created 50 requests once; 50/50 delivered once, chain valid',
    });
  });
});
