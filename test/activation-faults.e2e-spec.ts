import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { TestRedisServer } from './support/redis-server.js';
import { seedResponders } from './support/seed.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { WorkerProcess } from './support/worker-process.js';


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

    for (const member of seeded) {
      const deliveries = receiver.to(member.path);
      expect(deliveries.length).toBeGreaterThanOrEqual(1);
      expect(new Set(deliveries.map((d) => d.deliveryId)).size).toBe(1);
      expect(deliveries.every((d) => d.validSignature)).toBe(true);
    }
    const notified = await t.db.query(
      `SELECT aggregate_id, count(*)::int AS n FROM audit_event WHERE type = 'MobilizationRequestNotified' AND payload->>'activationId' = $1 GROUP BY aggregate_id`,
      [activationId],
    );
    expect(notified).toHaveLength(300);
    expect(notified.every((row: { n: number }) => row.n === 1)).toBe(true);
    expect((await t.http.get('/api/v1/audit/verify').set(bearer(await t.adminToken())).expect(200)).body.valid).toBe(true);
    process.stdout.write(`fault: worker killed after ${atCrash} deliveries (${notifiedAtCrash}/300 notified); after restart 300/300 notified, ${receiver.deliveries.length} HTTP deliveries, one delivery id per member\n`);
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
    await eventually(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n === 2,
      30000,
    );
  });
});
