import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

/** Only an ACTIVE member takes part: it is asked, it answers, offers are accepted into it. */
describe('A member that stops taking part', () => {
  let t: TestApp;
  let actors: CrisisActors;
  let admin: string;
  let calls: ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    calls = crisisCalls(t, actors);
  });
  afterAll(async () => {
    await t.close();
  });

  const changeStatus = (member: Responder, action: string) =>
    t.http.post(`/api/v1/members/${member.member.id}/${action}`).set(bearer(admin)).send({ reason: 'Contrôle en cours' }).expect(200);

  /** An authorized activation asking each of the member's assets, its requests NOTIFIED. */
  async function asked(member: Responder, category: string): Promise<{ activationId: string; requestIds: string[] }> {
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 10 }]);
    await calls.authorize(activationId).expect(200);
    const requestIds = await eventually(async () => {
      const items = await calls.requestsOf(member.user.token, activationId);
      return items.length === member.assetIds.length && items.every((r: { status: string }) => r.status === 'NOTIFIED')
        ? items.map((r: { id: string }) => r.id).sort()
        : undefined;
    });
    return { activationId, requestIds };
  }

  const statusOf = async (ids: string[]) =>
    (await t.db.query(`SELECT status FROM mobilization_request WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids])).map((r: { status: string }) => r.status);

  it('refuses to accept an unsolicited offer into a member that is not ACTIVE', async () => {
    const member = await responder(t, actors.directorate, null, { category: await isolatedCategory(t) });
    const offer = async () => (await t.http.post('/api/v1/offers').set(bearer(actors.operator.token))
      .send({ offeredBy: 'Société Spontanée', description: 'Vingt téléphones satellites' }).expect(201)).body.id;

    await changeStatus(member, 'suspend');
    const suspended = await t.http.post(`/api/v1/offers/${await offer()}/accept`).set(bearer(admin)).send({ memberId: member.member.id }).expect(409);
    expect(suspended.body).toMatchObject({ code: 'MEMBER.NOT_ACTIVE', message: expect.stringContaining('SUSPENDED') });
    await changeStatus(member, 'withdraw');
    const withdrawnOffer = await offer();
    const withdrawn = await t.http.post(`/api/v1/offers/${withdrawnOffer}/accept`).set(bearer(admin)).send({ memberId: member.member.id }).expect(409);
    expect(withdrawn.body).toMatchObject({ code: 'MEMBER.NOT_ACTIVE', message: expect.stringContaining('WITHDRAWN') });
    const still = await t.http.get('/api/v1/offers').query({ status: 'QUARANTINED' }).set(bearer(admin)).expect(200);
    expect(still.body.items.map((o: { id: string }) => o.id)).toContain(withdrawnOffer);

    const active = await responder(t, actors.directorate, null, { category: await isolatedCategory(t) });
    await t.http.post(`/api/v1/offers/${await offer()}/accept`).set(bearer(admin)).send({ memberId: active.member.id }).expect(200);
  });

  it('stands down the open requests of a suspended member with their events, refuses its answers, and reopens nothing on reinstatement', async () => {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, null, { category, assets: 3 });
    const other = await responder(t, actors.directorate, null, { category });
    const { activationId, requestIds: [accepted, acknowledged, notified] } = await asked(member, category);
    const [otherRequest] = (await calls.requestsOf(other.user.token, activationId)).map((r: { id: string }) => r.id);
    await calls.respond(member.user.token, accepted, 'accept').expect(200);
    await calls.respond(member.user.token, acknowledged, 'acknowledge').expect(200);

    const suspended = await changeStatus(member, 'suspend');
    expect(suspended.body.status).toBe('SUSPENDED');
    // Open requests are stood down; what it accepted stays committed; other members are untouched.
    expect(await statusOf([accepted])).toEqual(['ACCEPTED']);
    expect(await statusOf([acknowledged, notified])).toEqual(['STOOD_DOWN', 'STOOD_DOWN']);
    expect((await statusOf([otherRequest]))[0]).not.toBe('STOOD_DOWN');

    await t.sealEvents();
    const events = await t.db.query(
      `SELECT aggregate_id, payload FROM audit_event WHERE type = 'MobilizationRequestStoodDown' AND aggregate_id = ANY($1::text[]) ORDER BY aggregate_id`,
      [[accepted, acknowledged, notified]],
    );
    expect(events.map((e: { aggregate_id: string }) => e.aggregate_id)).toEqual([acknowledged, notified].sort());
    expect(events.every((e: { payload: { cause: string; activationId: string } }) => e.payload.cause === 'member suspended' && e.payload.activationId === activationId)).toBe(true);
    const [memberEvent] = await t.db.query(
      `SELECT payload FROM audit_event WHERE type = 'MemberSuspended' AND aggregate_id = $1`, [member.member.id],
    );
    expect(memberEvent.payload).toMatchObject({ from: 'ACTIVE', to: 'SUSPENDED', stoodDown: 2 });

    for (const [requestId, action, body] of [
      [notified, 'acknowledge', {}], [notified, 'accept', {}], [acknowledged, 'decline', { reasonCode: 'OTHER' }],
    ] as const) {
      const refused = await calls.respond(member.user.token, requestId, action, body).expect(409);
      expect(refused.body).toMatchObject({ code: 'MEMBER.NOT_ACTIVE', message: expect.stringContaining('SUSPENDED') });
    }
    // What it accepted before is still reported: the units are on their way or given back.
    await calls.respond(member.user.token, accepted, 'deploy').expect(200);

    await changeStatus(member, 'reinstate');
    expect(await statusOf([acknowledged, notified])).toEqual(['STOOD_DOWN', 'STOOD_DOWN']);
    const stood = await calls.respond(member.user.token, notified, 'acknowledge').expect(409);
    expect(stood.body.code).toBe('REQUEST.STOOD_DOWN');
  });

  it('stands down the open requests of a withdrawn member, and a suspended member is asked nothing', async () => {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, null, { category });
    const { requestIds: [requestId] } = await asked(member, category);
    await changeStatus(member, 'withdraw');
    expect(await statusOf([requestId])).toEqual(['STOOD_DOWN']);
    await t.sealEvents();
    const [event] = await t.db.query(`SELECT payload FROM audit_event WHERE type = 'MobilizationRequestStoodDown' AND aggregate_id = $1`, [requestId]);
    expect(event.payload.cause).toBe('member withdrawn');
    // A withdrawn member's users are refused before any request is looked at.
    const refused = await calls.respond(member.user.token, requestId, 'accept').expect(401);
    expect(refused.body).toMatchObject({ code: 'AUTH.ACCOUNT_DISABLED', message: expect.stringContaining('withdrawn') });

    const suspended = await responder(t, actors.directorate, null, { category: await isolatedCategory(t) });
    await changeStatus(suspended, 'suspend');
    const { activationId } = await preparedActivation(t, actors, [{ category: (await t.db.query(
      `SELECT category FROM asset WHERE id = $1`, [suspended.assetIds[0]],
    ))[0].category, quantity: 1 }]);
    const preview = await t.http.get(`/api/v1/activations/${activationId}/preview`).set(bearer(actors.operator.token)).expect(200);
    expect(JSON.stringify(preview.body)).not.toContain(suspended.assetIds[0]);
  });
});
