import { droneAsset, memberWithUser, type MemberFixture } from './fixtures.js';
import { bearer, type SignedInUser, type TestApp } from './test-app.js';

export interface ConventionFixture extends MemberFixture {
  assetId: string;
  conventionId: string;
}

/** A convention body for the given member and assets, with explicit dates. */
export function conventionBody(memberId: string, assetIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    memberId,
    assetIds,
    crisisTypes: ['NATURAL_DISASTER', 'INDUSTRIAL_ACCIDENT'],
    scope: { departements: ['06', '83'] },
    ackWithinMinutes: 30,
    deployWithinMinutes: 240,
    startsOn: '2026-01-01',
    ...overrides,
  };
}

/** Takes a drafted convention through propose, sign and countersign. */
export async function activate(t: TestApp, conventionId: string, directorate: SignedInUser, member: SignedInUser): Promise<void> {
  await t.http.post(`/api/v1/conventions/${conventionId}/propose`).set(bearer(directorate.token)).send({}).expect(200);
  await t.http.post(`/api/v1/conventions/${conventionId}/sign`).set(bearer(member.token)).send({}).expect(200);
  await t.http.post(`/api/v1/conventions/${conventionId}/countersign`).set(bearer(directorate.token)).send({}).expect(200);
}

/** A vetted member with one declared asset, covered by an ACTIVE convention with the directorate. */
export async function activeConvention(
  t: TestApp,
  directorate: SignedInUser,
  options: { asset?: Record<string, unknown>; convention?: Record<string, unknown> } = {},
): Promise<ConventionFixture> {
  const fixture = await memberWithUser(t);
  const asset = await t.http.post('/api/v1/assets').set(bearer(fixture.user.token)).send(droneAsset(options.asset)).expect(201);
  const convention = await t.http
    .post('/api/v1/conventions')
    .set(bearer(directorate.token))
    .send(conventionBody(fixture.member.id, [asset.body.id], options.convention))
    .expect(201);
  await activate(t, convention.body.id, directorate, fixture.user);
  return { ...fixture, assetId: asset.body.id, conventionId: convention.body.id };
}
