import type { Job } from 'bullmq';
import { NotificationSweepProcessor } from '../src/crisis/notifications/notification-sweeper.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, type Responder, responder } from './support/crisis.js';
import { memberWithUser } from './support/fixtures.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

describe("A member's webhook deliveries: each attempt recorded, with the status answered, for the member to see", () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let admin: string;
  let { authorize, requestsOf } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { WEBHOOK_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' } });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    ({ authorize, requestsOf } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const deliveries = (member: Responder, token = member.user.token, query: Record<string, unknown> = {}) =>
    t.http.get(`/api/v1/members/${member.member.id}/webhook/deliveries`).query(query).set(bearer(token));

  /** A member on the receiver, and a fresh activation of its one asset, authorized. */
  async function activated(failures = 0) {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, receiver, { category, assets: 1 });
    if (failures > 0) receiver.failNext(member.path!, failures);
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    return { member, activationId };
  }

  it('records a delivery the endpoint took: its type, the origin posted to, attempt 1, HTTP 204 and its duration', async () => {
    const { member } = await activated();
    const [attempt] = await eventually(async () => {
      const { items } = (await deliveries(member).expect(200)).body;
      return items.length > 0 && items;
    });
    const [received] = receiver.to(member.path!);
    expect(attempt).toEqual({
      deliveryId: received.deliveryId,
      eventType: 'mobilization.requested',
      urlOrigin: new URL(receiver.url('')).origin,
      attempt: 1,
      attemptedAt: expect.any(String),
      httpStatus: 204,
      error: null,
      durationMs: expect.any(Number),
      ok: true,
    });
    expect(Math.abs(Date.parse(attempt.attemptedAt) - received.receivedAt)).toBeLessThan(5000);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records a failed attempt with the status answered and what the member may read, then the retry that went through, newest first', async () => {
    const { member } = await activated(1);
    const page = await eventually(async () => {
      const body = (await deliveries(member).expect(200)).body;
      return body.total === 2 && body;
    });
    const [retried, failed] = page.items;
    expect(failed).toMatchObject({ attempt: 1, httpStatus: 500, ok: false, error: 'Not delivered: the endpoint answered HTTP 500', eventType: 'mobilization.requested' });
    expect(retried).toMatchObject({ attempt: 2, httpStatus: 204, ok: true, error: null, deliveryId: failed.deliveryId });
    expect(Date.parse(retried.attemptedAt)).toBeGreaterThanOrEqual(Date.parse(failed.attemptedAt));

    // Failures only, and pages of them.
    const failures = (await deliveries(member, member.user.token, { ok: 'false' }).expect(200)).body;
    expect(failures).toMatchObject({ total: 1, page: 1, pageSize: 50, items: [failed] });
    const second = (await deliveries(member, member.user.token, { pageSize: 1, page: 2 }).expect(200)).body;
    expect(second).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [failed] });
    const badFilter = await deliveries(member, member.user.token, { ok: 'maybe' }).expect(400);
    expect(badFilter.body.message).toMatch(/ok must be true or false/);

    // The ADMIN reads it too.
    expect((await deliveries(member, admin).expect(200)).body.total).toBe(2);
  });

  it('records an endpoint that does not answer without saying why the connection failed', async () => {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, null, { category, assets: 1 });
    // A port where nothing listens: the connection is refused.
    const closed = await WebhookReceiver.start();
    const url = closed.url('gone');
    await closed.close();
    const current = (await t.http.get(`/api/v1/members/${member.member.id}`).set(bearer(member.user.token)).expect(200)).body;
    await t.http.patch(`/api/v1/members/${member.member.id}`).set(bearer(member.user.token)).send({ webhookUrl: url, version: current.version }).expect(200);
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);

    const items = await eventually(async () => {
      const body = (await deliveries(member).expect(200)).body;
      return body.total === 3 && body.items;
    });
    expect(items.map((item: { attempt: number }) => item.attempt)).toEqual([3, 2, 1]);
    for (const item of items) {
      expect(item).toMatchObject({ ok: false, httpStatus: null, error: 'Not delivered: no answer from the endpoint', urlOrigin: new URL(url).origin });
      expect(JSON.stringify(item)).not.toMatch(/ECONNREFUSED|refused|gone/);
    }
  });

  it("answers 404 to another member's user, and to the ADMIN for a member that does not exist", async () => {
    const { member } = await activated();
    await eventually(async () => (await deliveries(member).expect(200)).body.total === 1);
    const other = await memberWithUser(t);
    const refused = await deliveries(member, other.user.token).expect(404);
    expect(refused.body.code).toBe('MEMBER.NOT_FOUND');
    await deliveries(member, actors.directorate.token).expect(403);
    await t.http.get('/api/v1/members/00000000-0000-4000-8000-000000000000/webhook/deliveries').set(bearer(admin)).expect(404);
  });

  it('delivers all the same when the attempt cannot be recorded: no failure, no retry', async () => {
    await t.db.query(`ALTER TABLE webhook_delivery_attempt ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    try {
      const { member, activationId } = await activated();
      const [request] = await eventually(async () => {
        const requests = await requestsOf(member.user.token, activationId);
        return requests[0]?.status === 'NOTIFIED' && requests;
      });
      expect(request).toMatchObject({ deliveryAttempts: 1, deliveryError: null, deliveryFailedAt: null });
      expect(receiver.to(member.path!)).toHaveLength(1);
      expect((await deliveries(member).expect(200)).body.total).toBe(0);
    } finally {
      await t.db.query(`ALTER TABLE webhook_delivery_attempt DROP CONSTRAINT refuse_all`);
    }
  });

  it('forgets the attempts older than 30 days, on the hourly purge', async () => {
    const { member } = await activated();
    await eventually(async () => (await deliveries(member).expect(200)).body.total === 1);
    const day = 86_400_000;
    for (const age of [31 * day, 29 * day]) {
      await t.db.query(
        `INSERT INTO webhook_delivery_attempt (member_id, delivery_id, event_type, url_origin, attempt, attempted_at, http_status, error, duration_ms, ok)
         VALUES ($1, gen_random_uuid()::text, 'mobilization.stood_down', 'http://127.0.0.1', 1, $2, 204, NULL, 12, true)`,
        [member.member.id, new Date(Date.now() - age)],
      );
    }
    expect((await deliveries(member).expect(200)).body.total).toBe(3);

    const result = await t.get(NotificationSweepProcessor).process({ name: 'purge-webhook-deliveries' } as Job);
    expect(result).toEqual({ purged: 1 });
    const kept = (await deliveries(member).expect(200)).body.items;
    expect(kept.map((item: { attemptedAt: string }) => Date.now() - Date.parse(item.attemptedAt) < 30 * day)).toEqual([true, true]);
  });
});
