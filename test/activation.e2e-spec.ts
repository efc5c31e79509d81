import { requestsDigest } from '../src/crisis/commands/activation-commands.js';
import { NotificationSweeper } from '../src/crisis/notifications/notification-sweeper.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

describe('Crisis activation: authorization, fan-out, responses, escalation, stand-down', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let admin: string;
  let { authorize, progress, requestsOf, respond } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50', WEBHOOK_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' } });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    ({ authorize, progress, requestsOf, respond } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const eventTypes = async (aggregateId: string) =>
    (await t.http.get('/api/v1/audit/events').query({ aggregateId, pageSize: 200 }).set(bearer(admin)).expect(200)).body.items.map((e: { type: string }) => e.type);

  it('runs end to end: preview, ministerial authorization, signed webhooks, and the member\'s answers', async () => {
    const category = await isolatedCategory(t);
    const alpha = await responder(t, actors.directorate, receiver, { category });
    const bravo = await responder(t, actors.directorate, receiver, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);

    const preview = await t.http.get(`/api/v1/activations/${activationId}/preview`).set(bearer(actors.minister.token)).expect(200);
    expect(preview.body.assetCount).toBe(2);
    expect(preview.body.requirements[0].members.map((m: { memberId: string }) => m.memberId).sort()).toEqual([alpha.member.id, bravo.member.id].sort());
    expect(await requestsOf(actors.operator.token, activationId)).toHaveLength(0);

    const authorized = await authorize(activationId).expect(200);
    expect(authorized.body).toMatchObject({ status: 'AUTHORIZED', requestCount: 2, authorizedBy: actors.minister.id });
    const [sealed] = (await t.http.get('/api/v1/audit/events').query({ aggregateId: activationId, type: 'ActivationAuthorized' }).set(bearer(admin))).body.items;
    const created = await t.db.query(
      `SELECT id, requirement_id, asset_id, member_id, convention_id FROM mobilization_request WHERE activation_id = $1`,
      [activationId],
    );
    expect(sealed.payload).toMatchObject({ requestCount: 2, requestsDigest: requestsDigest(created) });

    await eventually(async () => receiver.to(alpha.path!).length === 1 && receiver.to(bravo.path!).length === 1);
    const delivery = receiver.to(alpha.path!)[0];
    expect(delivery.validSignature).toBe(true);
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery.body).toMatchObject({ type: 'mobilization.requested', deliveryId: delivery.deliveryId, activation: { id: activationId } });
    expect(delivery.body.requests).toEqual([expect.objectContaining({ assetId: alpha.assetIds[0], ackWithinMinutes: 30 })]);

    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 2);
    expect((await progress(activationId)).status).toBe('IN_PROGRESS');
    const [request] = await requestsOf(alpha.user.token, activationId);
    expect(request).toMatchObject({ status: 'NOTIFIED', memberId: alpha.member.id, allowedResponses: ['acknowledge', 'accept', 'decline'] });

    expect((await respond(alpha.user.token, request.id, 'acknowledge').expect(200)).body.status).toBe('ACKNOWLEDGED');
    expect((await respond(alpha.user.token, request.id, 'accept').expect(200)).body).toMatchObject({ status: 'ACCEPTED', acceptedQuantity: 1 });
    expect((await respond(alpha.user.token, request.id, 'deploy').expect(200)).body.status).toBe('DEPLOYED');
    expect((await t.http.get(`/api/v1/assets/${alpha.assetIds[0]}`).set(bearer(alpha.user.token))).body.status).toBe('ENGAGED');
    expect((await respond(alpha.user.token, request.id, 'release').expect(200)).body.status).toBe('RELEASED');
    expect((await t.http.get(`/api/v1/assets/${alpha.assetIds[0]}`).set(bearer(alpha.user.token))).body.status).toBe('AVAILABLE');
    await respond(alpha.user.token, request.id, 'release').expect(409);

    expect(await eventTypes(request.id)).toEqual([
      'MobilizationRequestNotified', 'MobilizationRequestAcknowledged', 'MobilizationRequestAccepted',
      'MobilizationRequestDeployed', 'MobilizationRequestReleased',
    ]);
    expect((await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200)).body.valid).toBe(true);
  });

  it('allows only a MINISTER who did not prepare it to authorize, once', async () => {
    const category = await isolatedCategory(t);
    await responder(t, actors.directorate, null, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    const member = (await responder(t, actors.directorate, null, { category: await isolatedCategory(t) })).user;
    await authorize(activationId, actors.operator.token).expect(403);
    await authorize(activationId, (await t.signedInUser('CRISIS_OPERATOR')).token).expect(403);
    await authorize(activationId, member.token).expect(403);
    await authorize(activationId).expect(200);
    const again = await authorize(activationId).expect(409);
    expect(again.body.message).toContain('AUTHORIZED');
    expect(await requestsOf(actors.operator.token, activationId)).toHaveLength(1);
  });

  it('creates exactly one set of requests under 20 concurrent authorizations', async () => {
    const category = await isolatedCategory(t);
    for (let i = 0; i < 3; i += 1) await responder(t, actors.directorate, null, { category, assets: 2 });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 10 }]);
    const ministers = await Promise.all(Array.from({ length: 4 }, () => t.signedInUser('MINISTER')));
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => authorize(activationId, ministers[i % 4].token)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    const rows = await t.db.query(`SELECT asset_id FROM mobilization_request WHERE activation_id = $1`, [activationId]);
    expect(rows).toHaveLength(6);
    expect((await progress(activationId)).requestCount).toBe(6);
  });

  it('replays the same answer for a repeated authorization with the same Idempotency-Key', async () => {
    const category = await isolatedCategory(t);
    await responder(t, actors.directorate, null, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    const first = await authorize(activationId).set('idempotency-key', `authorize-${activationId}`).expect(200);
    const again = await authorize(activationId).set('idempotency-key', `authorize-${activationId}`).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('escalates an unacknowledged request to the second contact at its deadline, not an acknowledged one', async () => {
    const category = await isolatedCategory(t);
    const slow = await responder(t, actors.directorate, receiver, { category, contacts: 3 });
    const quick = await responder(t, actors.directorate, receiver, { category, contacts: 2 });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 2);
    const [quickRequest] = await requestsOf(quick.user.token, activationId);
    const [slowRequest] = await requestsOf(slow.user.token, activationId);
    await respond(quick.user.token, quickRequest.id, 'acknowledge').expect(200);

    // The deadline passes: both requests are overdue, as the clock of the delayed jobs would have it.
    await t.db.query(`UPDATE mobilization_request SET ack_deadline = now() - interval '1 second' WHERE activation_id = $1`, [activationId]);
    await t.get(NotificationSweeper).sweep();

    await eventually(async () => receiver.to(slow.path!).some((d) => d.body.type === 'mobilization.escalated'));
    const notice = receiver.to(slow.path!).find((d) => d.body.type === 'mobilization.escalated')!;
    expect(notice.validSignature).toBe(true);
    expect(notice.body).toMatchObject({ requestId: slowRequest.id, level: 1, contact: { id: slow.contactIds[1], name: 'Contact 2' } });
    const escalated = (await t.http.get(`/api/v1/mobilizations/${slowRequest.id}`).set(bearer(slow.user.token))).body;
    expect(escalated).toMatchObject({ status: 'ESCALATED', escalationLevel: 1 });
    expect((await t.http.get(`/api/v1/mobilizations/${quickRequest.id}`).set(bearer(quick.user.token))).body).toMatchObject({
      status: 'ACKNOWLEDGED', escalationLevel: 0,
    });
    expect(receiver.to(quick.path!).some((d) => d.body.type === 'mobilization.escalated')).toBe(false);
    expect((await progress(activationId)).escalated).toBe(1);

    await t.get(NotificationSweeper).sweep();
    expect((await t.http.get(`/api/v1/mobilizations/${slowRequest.id}`).set(bearer(slow.user.token))).body.escalationLevel).toBe(1);
    expect((await respond(slow.user.token, slowRequest.id, 'acknowledge').expect(200)).body.status).toBe('ACKNOWLEDGED');
  });

  it('never fills a requirement beyond its quantity: of three concurrent accepts for 2, two win and the third is stood down', async () => {
    const category = await isolatedCategory(t);
    const members = await Promise.all([0, 1, 2].map(() => responder(t, actors.directorate, receiver, { category })));
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 3);
    const requests = await Promise.all(members.map(async (m) => (await requestsOf(m.user.token, activationId))[0]));

    const answers = await Promise.all(members.map((m, i) => respond(m.user.token, requests[i].id, 'accept')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.code).toBe('REQUEST.STOOD_DOWN');
    expect(refused.body.message).toMatch(/stood down/);

    const state = await progress(activationId);
    expect(state).toMatchObject({ status: 'FULFILLED', countsByStatus: { ACCEPTED: 2, STOOD_DOWN: 1 } });
    expect(state.requirements[0]).toMatchObject({ quantity: 2, acceptedQuantity: 2, metAt: expect.any(String) });
    const loser = members[answers.findIndex((a) => a.status === 409)];
    await eventually(async () => receiver.to(loser.path!).some((d) => d.body.type === 'mobilization.stood_down'));
  });

  it('fulfils the activation when its last two requirements are met by accepts at the same moment', async () => {
    const [first, second] = [await isolatedCategory(t), await isolatedCategory(t)];
    const alpha = await responder(t, actors.directorate, null, { category: first });
    const bravo = await responder(t, actors.directorate, null, { category: second });
    const { activationId } = await preparedActivation(t, actors, [{ category: first, quantity: 1 }, { category: second, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 2);
    const [alphaRequest] = await requestsOf(alpha.user.token, activationId);
    const [bravoRequest] = await requestsOf(bravo.user.token, activationId);

    const answers = await Promise.all([respond(alpha.user.token, alphaRequest.id, 'accept'), respond(bravo.user.token, bravoRequest.id, 'accept')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const state = await progress(activationId);
    expect(state).toMatchObject({ status: 'FULFILLED', countsByStatus: { ACCEPTED: 2 } });
    expect(state.requirements.map((r: { metAt: string | null }) => r.metAt)).toEqual([expect.any(String), expect.any(String)]);
    expect((await eventTypes(activationId)).filter((type: string) => type === 'ActivationFulfilled')).toHaveLength(1);
  });

  it('keeps a member away from another member\'s requests, and checks each answer', async () => {
    const category = await isolatedCategory(t);
    const alpha = await responder(t, actors.directorate, null, { category });
    const bravo = await responder(t, actors.directorate, null, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 2);
    const [alphaRequest] = await requestsOf(alpha.user.token, activationId);
    expect(await requestsOf(bravo.user.token, activationId)).toEqual([expect.objectContaining({ memberId: bravo.member.id })]);
    await t.http.get(`/api/v1/mobilizations/${alphaRequest.id}`).set(bearer(bravo.user.token)).expect(404);
    await respond(bravo.user.token, alphaRequest.id, 'acknowledge').expect(404);
    await respond(actors.operator.token, alphaRequest.id, 'acknowledge').expect(403);
    await respond(alpha.user.token, alphaRequest.id, 'decline').expect(400);
    await respond(alpha.user.token, alphaRequest.id, 'deploy').expect(409);
    await respond(alpha.user.token, alphaRequest.id, 'accept', { quantity: 5 }).expect(400);
    const declined = await respond(alpha.user.token, alphaRequest.id, 'decline', { reasonCode: 'OUT_OF_AREA', comment: 'Team in Lyon' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'DECLINED', declineReasonCode: 'OUT_OF_AREA', declineComment: 'Team in Lyon' });
  });

  it('cancels an activation, standing down every open request; the crisis closes only then', async () => {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, receiver, { category });
    const { activationId, crisisId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 1);
    const blocked = await t.http.post(`/api/v1/crises/${crisisId}/close`).set(bearer(actors.operator.token)).send({}).expect(409);
    expect(blocked.body.message).toContain('IN_PROGRESS');
    const cancelled = await t.http.post(`/api/v1/activations/${activationId}/cancel`).set(bearer(actors.operator.token)).send({ reason: 'False alarm' }).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect((await progress(activationId)).countsByStatus).toEqual({ STOOD_DOWN: 1 });
    const [request] = await requestsOf(member.user.token, activationId);
    const late = await respond(member.user.token, request.id, 'accept').expect(409);
    expect(late.body.code).toBe('REQUEST.STOOD_DOWN');
    await eventually(async () => receiver.to(member.path!).some((d) => d.body.type === 'mobilization.stood_down'));
    await t.http.post(`/api/v1/crises/${crisisId}/close`).set(bearer(actors.operator.token)).send({}).expect(200);
    await t.http.post(`/api/v1/crises/${crisisId}/activations`).set(bearer(actors.operator.token))
      .send({ decisionReference: 'late', requirements: [{ category, quantity: 1 }] }).expect(409);
  });

  it('retries a failing webhook with the same delivery id, and records a delivery that keeps failing', async () => {
    const category = await isolatedCategory(t);
    const flaky = await responder(t, actors.directorate, receiver, { category });
    const dead = await responder(t, actors.directorate, receiver, { category });
    receiver.failNext(flaky.path!, 1);
    receiver.failNext(dead.path!, 'always');
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    await authorize(activationId).expect(200);

    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 1);
    const attempts = receiver.to(flaky.path!);
    expect(attempts).toHaveLength(2);
    expect(attempts[0].deliveryId).toBe(attempts[1].deliveryId);

    await eventually(async () => (await progress(activationId)).deliveryFailures === 1);
    expect(receiver.to(dead.path!)).toHaveLength(3);
    const [failed] = await requestsOf(dead.user.token, activationId);
    expect(failed).toMatchObject({ status: 'PENDING', deliveryAttempts: 3, deliveryFailedAt: expect.any(String), deliveryError: expect.stringContaining('500') });
  });

  it('makes requests visible at once to a member that polls instead of a webhook', async () => {
    const category = await isolatedCategory(t);
    const poller = await responder(t, actors.directorate, null, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await requestsOf(poller.user.token, activationId))[0]?.status === 'NOTIFIED');
  });
});
