import { randomUUID } from 'node:crypto';
import { activate, conventionBody } from './conventions.js';
import { droneAsset, memberWithUser, type MemberFixture } from './fixtures.js';
import { bearer, type SignedInUser, type TestApp } from './test-app.js';
import type { WebhookReceiver } from './webhook-receiver.js';

export interface Responder extends MemberFixture {
  path: string | null;
  assetIds: string[];
  contactIds: string[];
}

/** A category of its own for one test, so that no other test's assets are ever eligible in it. */
export async function isolatedCategory(t: TestApp): Promise<string> {
  const code = `T_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  await t.http.post('/api/v1/categories').set(bearer(await t.adminToken())).send({ code, label: 'Test category' }).expect(201);
  return code;
}

export interface CrisisActors {
  operator: SignedInUser;
  minister: SignedInUser;
  directorate: SignedInUser;
}

export async function crisisActors(t: TestApp): Promise<CrisisActors> {
  return {
    operator: await t.signedInUser('CRISIS_OPERATOR'),
    minister: await t.signedInUser('MINISTER'),
    directorate: await t.signedInUser('DIRECTORATE', { directorateCode: 'DGSCGC' }),
  };
}

/**
 * A vetted member (with a webhook on the receiver unless told otherwise), its contacts, its
 * drone assets, all covered by an ACTIVE convention with the directorate.
 */
export async function responder(
  t: TestApp,
  directorate: SignedInUser,
  receiver: WebhookReceiver | null,
  options: { category: string; assets?: number; quantity?: number; contacts?: number; ackWithinMinutes?: number; departements?: string[] },
): Promise<Responder> {
  const path = receiver ? `member-${randomUUID().slice(0, 8)}` : null;
  const fixture = await memberWithUser(t, receiver && path ? { webhookUrl: receiver.url(path) } : {});
  if (receiver && path) receiver.setSecret(path, fixture.member.webhookSecret!);
  const contactIds: string[] = [];
  for (let order = 1; order <= (options.contacts ?? 2); order += 1) {
    const contact = await t.http
      .post(`/api/v1/members/${fixture.member.id}/contacts`)
      .set(bearer(fixture.user.token))
      .send({ name: `Contact ${order}`, role: 'DUTY_OFFICER', phone: `+3361234567${order}`, email: `c${order}@member.test`, escalationOrder: order, available24x7: true })
      .expect(201);
    contactIds.push(contact.body.id);
  }
  const assetIds: string[] = [];
  for (let i = 0; i < (options.assets ?? 1); i += 1) {
    const asset = await t.http
      .post('/api/v1/assets')
      .set(bearer(fixture.user.token))
      .send(droneAsset({ category: options.category, name: `Drone ${i + 1}`, quantity: options.quantity ?? 1, coverage: { departements: options.departements ?? ['06', '83'] } }))
      .expect(201);
    assetIds.push(asset.body.id);
  }
  const convention = await t.http
    .post('/api/v1/conventions')
    .set(bearer(directorate.token))
    .send(conventionBody(fixture.member.id, assetIds, { ackWithinMinutes: options.ackWithinMinutes ?? 30, memberContactIds: contactIds }))
    .expect(201);
  await activate(t, convention.body.id, directorate, fixture.user);
  return { ...fixture, path, assetIds, contactIds };
}

/** An OPEN crisis (unique département set so that only this test's assets are eligible) and a prepared activation. */
export async function preparedActivation(
  t: TestApp,
  actors: CrisisActors,
  requirements: Record<string, unknown>[],
  crisis: Record<string, unknown> = {},
): Promise<{ crisisId: string; activationId: string }> {
  const opened = await t.http
    .post('/api/v1/crises')
    .set(bearer(actors.operator.token))
    .send({ title: 'Crues du Var', type: 'NATURAL_DISASTER', departements: ['06', '83'], severity: 4, ...crisis })
    .expect(201);
  const prepared = await t.http
    .post(`/api/v1/crises/${opened.body.id}/activations`)
    .set(bearer(actors.operator.token))
    .send({ decisionReference: `DM-${randomUUID().slice(0, 6)}`, requirements })
    .expect(201);
  return { crisisId: opened.body.id, activationId: prepared.body.id };
}

/** The calls crisis tests make again and again, as the operator, the minister or a member. */
export function crisisCalls(t: TestApp, actors: CrisisActors) {
  return {
    authorize: (activationId: string, token = actors.minister.token) =>
      t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(token)).send({}),
    progress: async (activationId: string) =>
      (await t.http.get(`/api/v1/activations/${activationId}`).set(bearer(actors.operator.token)).expect(200)).body,
    requestsOf: async (token: string, activationId: string) =>
      (await t.http.get('/api/v1/mobilizations').query({ activationId, pageSize: 200 }).set(bearer(token)).expect(200)).body.items,
    respond: (token: string, requestId: string, action: string, body: Record<string, unknown> = {}) =>
      t.http.post(`/api/v1/mobilizations/${requestId}/${action}`).set(bearer(token)).send(body),
  };
}
