import type { MemberView } from '../../src/registry/domain/member.js';
import { validSiren } from './siren.js';
import { bearer, type SignedInUser, type TestApp } from './test-app.js';

export { validSiren };

export interface MemberFixture {
  member: MemberView & { webhookSecret?: string };
  user: SignedInUser;
}

/** A member registered by the ADMIN (vetted unless told otherwise) and one signed-in user of it. */
export async function memberWithUser(
  t: TestApp,
  options: { legalName?: string; vet?: boolean; webhookUrl?: string } = {},
): Promise<MemberFixture> {
  const admin = await t.adminToken();
  const created = await t.http
    .post('/api/v1/members')
    .set(bearer(admin))
    .send({
      legalName: options.legalName ?? `Société ${validSiren()}`,
      siren: validSiren(),
      charterSignedAt: '2017-03-21',
      charterSignatory: 'Claire Martin',
      ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    })
    .expect(201);
  let member = created.body;
  if (options.vet !== false) member = (await t.http.post(`/api/v1/members/${member.id}/vet`).set(bearer(admin)).send({}).expect(200)).body;
  const user = await t.signedInUser('MEMBER', { memberId: member.id });
  return { member: { ...member, webhookSecret: created.body.webhookSecret }, user };
}

export const droneAsset = (overrides: Record<string, unknown> = {}) => ({
  category: 'DRONE',
  name: 'Quadcopter with thermal camera',
  quantity: 3,
  leadTimeMinutes: 120,
  coverage: { departements: ['06', '83'] },
  ...overrides,
});
