import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, type Responder, responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

describe('Capacity ledger: an asset gives its quantity across all activations at once', () => {
  let t: TestApp;
  let actors: CrisisActors;
  let { authorize, progress, requestsOf, respond } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
    ({ authorize, progress, requestsOf, respond } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
  });

  const assetOf = async (owner: Responder) =>
    (await t.http.get(`/api/v1/assets/${owner.assetIds[0]}`).set(bearer(owner.user.token)).expect(200)).body;
  const ledgerOf = async (assetId: string): Promise<{ quantity: number; committed: number; held: number }> =>
    (await t.db.query(
      `SELECT a.quantity, a.committed_quantity AS committed,
              (SELECT coalesce(sum(q.accepted_quantity), 0)::int FROM mobilization_request q
               WHERE q.asset_id = a.id AND q.status IN ('ACCEPTED', 'DEPLOYED')) AS held
       FROM asset a WHERE a.id = $1`,
      [assetId],
    ))[0];
  const previewOf = async (activationId: string) =>
    (await t.http.get(`/api/v1/activations/${activationId}/preview`).set(bearer(actors.operator.token)).expect(200)).body;

  /** An activation for `quantity` units of the category, authorized, its request to the owner notified. */
  async function notifiedRequest(owner: Responder, category: string, quantity: number): Promise<{ activationId: string; requestId: string }> {
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 1);
    const [request] = await requestsOf(owner.user.token, activationId);
    return { activationId, requestId: request.id };
  }

  it('offers a second activation only the units left, refuses an accept beyond them, and gives back exactly what a release held', async () => {
    const category = await isolatedCategory(t);
    const owner = await responder(t, actors.directorate, null, { category, quantity: 4 });
    const assetId = owner.assetIds[0];

    const first = await notifiedRequest(owner, category, 2);
    expect((await respond(owner.user.token, first.requestId, 'accept', { quantity: 2 }).expect(200)).body.acceptedQuantity).toBe(2);
    expect(await ledgerOf(assetId)).toEqual({ quantity: 4, committed: 2, held: 2 });
    expect(await assetOf(owner)).toMatchObject({ status: 'ENGAGED', quantity: 4, committedQuantity: 2, remainingQuantity: 2 });

    const { activationId: secondId } = await preparedActivation(t, actors, [{ category, quantity: 4 }]);
    const preview = await previewOf(secondId);
    expect(preview.assetCount).toBe(1);
    expect(preview.requirements[0]).toMatchObject({ eligibleQuantity: 2, members: [{ assets: [{ assetId, quantity: 2 }] }] });
    const eligible = await t.http.get('/api/v1/eligible-assets')
      .query({ crisisType: 'NATURAL_DISASTER', departements: '06', categories: category })
      .set(bearer(actors.operator.token)).expect(200);
    expect(eligible.body).toEqual([expect.objectContaining({ assetId, quantity: 2 })]);

    await authorize(secondId).expect(200);
    await eventually(async () => (await progress(secondId)).countsByStatus.NOTIFIED === 1);
    const [second] = await requestsOf(owner.user.token, secondId);
    const refused = await respond(owner.user.token, second.id, 'accept', { quantity: 4 }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ASSET.CAPACITY_EXCEEDED' });
    expect(refused.body.message).toContain('2 of its 4 units left; 4 were asked');
    expect(await ledgerOf(assetId)).toEqual({ quantity: 4, committed: 2, held: 2 });
    expect((await respond(owner.user.token, second.id, 'accept', { quantity: 2 }).expect(200)).body.acceptedQuantity).toBe(2);
    expect(await ledgerOf(assetId)).toEqual({ quantity: 4, committed: 4, held: 4 });

    await respond(owner.user.token, first.requestId, 'deploy').expect(200);
    await respond(owner.user.token, second.id, 'deploy').expect(200);
    await respond(owner.user.token, first.requestId, 'release').expect(200);
    expect(await ledgerOf(assetId)).toEqual({ quantity: 4, committed: 2, held: 2 });
    expect((await assetOf(owner)).status).toBe('ENGAGED');
    await respond(owner.user.token, second.id, 'release').expect(200);
    expect(await ledgerOf(assetId)).toEqual({ quantity: 4, committed: 0, held: 0 });
    expect(await assetOf(owner)).toMatchObject({ status: 'AVAILABLE', committedQuantity: 0, remainingQuantity: 4 });
  });

  it('neither offers nor accepts an asset whose every unit is committed', async () => {
    const category = await isolatedCategory(t);
    const owner = await responder(t, actors.directorate, null, { category, quantity: 3 });
    const first = await notifiedRequest(owner, category, 5);
    const { activationId: secondId } = await preparedActivation(t, actors, [{ category, quantity: 5 }]);
    await authorize(secondId).expect(200);
    await eventually(async () => (await progress(secondId)).countsByStatus.NOTIFIED === 1);
    const [second] = await requestsOf(owner.user.token, secondId);

    expect((await respond(owner.user.token, first.requestId, 'accept').expect(200)).body.acceptedQuantity).toBe(3);
    const refused = await respond(owner.user.token, second.id, 'accept').expect(409);
    expect(refused.body).toMatchObject({ code: 'ASSET.CAPACITY_EXCEEDED' });
    expect(refused.body.message).toContain('0 of its 3 units left');
    const { activationId: thirdId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    expect((await previewOf(thirdId)).assetCount).toBe(0);
  });

  it('never commits an asset beyond its quantity under concurrent accepts from several activations', async () => {
    const category = await isolatedCategory(t);
    const owner = await responder(t, actors.directorate, null, { category, quantity: 5 });
    const requests = await Promise.all(Array.from({ length: 8 }, () => notifiedRequest(owner, category, 5)));

    const answers = await Promise.all(requests.map((r) => respond(owner.user.token, r.requestId, 'accept', { quantity: 2 })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, ...Array(6).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'ASSET.CAPACITY_EXCEEDED')).toBe(true);
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 5, committed: 4, held: 4 });

    const leftovers = await Promise.all(requests.map((r) => respond(owner.user.token, r.requestId, 'accept')));
    expect(leftovers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 5, committed: 5, held: 5 });
  });

  it('gives back, when an activation ends, the units accepted for it but never deployed; deployed units stay out', async () => {
    const category = await isolatedCategory(t);
    const owner = await responder(t, actors.directorate, null, { category, quantity: 4 });
    const kept = await notifiedRequest(owner, category, 1);
    await respond(owner.user.token, kept.requestId, 'accept').expect(200);
    await respond(owner.user.token, kept.requestId, 'deploy').expect(200);
    const ended = await notifiedRequest(owner, category, 3);
    await respond(owner.user.token, ended.requestId, 'accept').expect(200);
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 4, committed: 4, held: 4 });

    await t.http.post(`/api/v1/activations/${ended.activationId}/close`).set(bearer(actors.operator.token)).send({}).expect(200);
    expect((await t.http.get(`/api/v1/mobilizations/${ended.requestId}`).set(bearer(owner.user.token)).expect(200)).body)
      .toMatchObject({ status: 'RELEASED', acceptedQuantity: 3, releasedAt: expect.any(String) });
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 4, committed: 1, held: 1 });
    expect((await assetOf(owner)).status).toBe('ENGAGED');
    await t.http.post(`/api/v1/activations/${kept.activationId}/close`).set(bearer(actors.operator.token)).send({}).expect(200);
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 4, committed: 1, held: 1 });
  });

  it('refuses to lower an asset\'s quantity below its committed units', async () => {
    const category = await isolatedCategory(t);
    const owner = await responder(t, actors.directorate, null, { category, quantity: 4 });
    const { requestId } = await notifiedRequest(owner, category, 3);
    await respond(owner.user.token, requestId, 'accept', { quantity: 3 }).expect(200);
    const { version } = await assetOf(owner);
    const patch = (body: Record<string, unknown>) => t.http.patch(`/api/v1/assets/${owner.assetIds[0]}`).set(bearer(owner.user.token)).send(body);

    const refused = await patch({ version, quantity: 2 }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ASSET.UNITS_COMMITTED' });
    expect(refused.body.message).toContain('3 of its units are committed');
    expect((await patch({ version, quantity: 3 }).expect(200)).body).toMatchObject({ quantity: 3, status: 'ENGAGED' });
    expect(await ledgerOf(owner.assetIds[0])).toEqual({ quantity: 3, committed: 3, held: 3 });
  });
});
