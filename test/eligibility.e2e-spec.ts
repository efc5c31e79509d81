import { FixedClock } from '../src/common/time/clock.js';
import { activeConvention, type ConventionFixture } from './support/conventions.js';
import { bearer, type SignedInUser, TestApp } from './support/test-app.js';

interface Case {
  name: string;
  eligible: boolean;
  options?: Parameters<typeof activeConvention>[2];
  arrange?: (fixture: ConventionFixture) => Promise<unknown>;
  query?: Record<string, string>;
}

describe('Eligibility: the assets mobilizable now', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const clock = new FixedClock(now);
  let t: TestApp;
  let admin: string;
  let directorate: SignedInUser;
  let operator: SignedInUser;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', READINESS_MAX_AGE_DAYS: '90' }, clock });
    admin = await t.adminToken();
    directorate = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGSCGC' });
    operator = await t.signedInUser('CRISIS_OPERATOR');
  });
  afterAll(async () => {
    await t.close();
  });

  const hours = (n: number) => new Date(now.getTime() + n * 3600_000).toISOString();
  const patchAsset = (f: ConventionFixture, body: Record<string, unknown>) =>
    t.http.patch(`/api/v1/assets/${f.assetId}`).set(bearer(f.user.token)).send({ version: 1, ...body }).expect(200);
  const conventionAction = (f: ConventionFixture, action: string, body: Record<string, unknown> = {}) =>
    t.http.post(`/api/v1/conventions/${f.conventionId}/${action}`).set(bearer(directorate.token)).send(body).expect(200);

  const cases: Case[] = [
    { name: 'an asset under an ACTIVE convention that covers the type, département and category', eligible: true },
    {
      name: 'a national asset under a national convention, for any département',
      eligible: true,
      options: { asset: { coverage: { national: true } }, convention: { scope: { national: true } } },
      query: { departements: '13' },
    },
    { name: 'an asset whose unavailability window is still to come', eligible: true, arrange: (f) =>
      t.http.post(`/api/v1/assets/${f.assetId}/unavailability`).set(bearer(f.user.token)).send({ from: hours(24), to: hours(48), reason: 'Maintenance' }).expect(201) },
    { name: 'a suspended member', eligible: false, arrange: (f) =>
      t.http.post(`/api/v1/members/${f.member.id}/suspend`).set(bearer(admin)).send({ reason: 'Audit' }).expect(200) },
    { name: 'an UNAVAILABLE asset', eligible: false, arrange: (f) => patchAsset(f, { status: 'UNAVAILABLE' }) },
    { name: 'a stale asset (not attested within 90 days)', eligible: false, arrange: (f) =>
      t.db.query(`UPDATE asset SET attested_at = $2 WHERE id = $1`, [f.assetId, new Date(now.getTime() - 91 * 86_400_000).toISOString()]) },
    { name: 'an asset inside an unavailability window', eligible: false, arrange: (f) =>
      t.http.post(`/api/v1/assets/${f.assetId}/unavailability`).set(bearer(f.user.token)).send({ from: hours(-1), to: hours(1), reason: 'Maintenance' }).expect(201) },
    { name: 'a suspended convention', eligible: false, arrange: (f) => conventionAction(f, 'suspend') },
    { name: 'a terminated convention', eligible: false, arrange: (f) => conventionAction(f, 'terminate', { reason: 'Ended' }) },
    {
      name: 'an expired convention',
      eligible: false,
      options: { convention: { startsOn: '2025-01-01', endsOn: '2025-12-31' } },
      arrange: async (f) => {
        await t.http.post('/api/v1/conventions/calendar/run').set(bearer(admin)).expect(200);
        const { body } = await t.http.get(`/api/v1/conventions/${f.conventionId}`).set(bearer(admin)).expect(200);
        expect(body.status).toBe('EXPIRED');
      },
    },
    { name: 'a crisis type the convention does not cover', eligible: false, query: { crisisType: 'TERRORIST_ATTACK' } },
    {
      name: 'a département outside the convention scope',
      eligible: false,
      options: { asset: { coverage: { national: true } } },
      query: { departements: '13' },
    },
    {
      name: 'a département outside the asset coverage',
      eligible: false,
      options: { asset: { coverage: { departements: ['83'] } }, convention: { scope: { national: true } } },
      query: { departements: '06' },
    },
    { name: 'another category', eligible: false, query: { categories: 'SOFTWARE,CYBER_EXPERT' } },
  ];

  it.each(cases)('$name → eligible: $eligible', async ({ eligible, options, arrange, query }) => {
    const fixture = await activeConvention(t, directorate, options);
    await arrange?.(fixture);
    const response = await t.http
      .get('/api/v1/eligible-assets')
      .query({ crisisType: 'NATURAL_DISASTER', departements: '06,2A', categories: 'DRONE', ...query })
      .set(bearer(operator.token))
      .expect(200);
    const found = response.body.filter((row: { assetId: string }) => row.assetId === fixture.assetId);
    expect(found).toHaveLength(eligible ? 1 : 0);
    if (eligible) {
      expect(found[0]).toMatchObject({
        memberId: fixture.member.id, conventionId: fixture.conventionId, directorateCode: 'DGSCGC',
        ackWithinMinutes: 30, deployWithinMinutes: 240, category: 'DRONE', quantity: 3,
      });
    }
  });

  it('asks an asset covered by two conventions once, through the tightest acknowledgement commitment', async () => {
    const fixture = await activeConvention(t, directorate, { convention: { ackWithinMinutes: 60 } });
    const dgpn = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' });
    const second = await t.http
      .post('/api/v1/conventions')
      .set(bearer(dgpn.token))
      .send({ memberId: fixture.member.id, assetIds: [fixture.assetId], crisisTypes: ['NATURAL_DISASTER'], scope: { national: true },
        ackWithinMinutes: 15, deployWithinMinutes: 120, startsOn: '2026-01-01' })
      .expect(201);
    for (const [who, action] of [[dgpn, 'propose'], [fixture.user, 'sign'], [dgpn, 'countersign']] as const) {
      await t.http.post(`/api/v1/conventions/${second.body.id}/${action}`).set(bearer(who.token)).send({}).expect(200);
    }
    const response = await t.http
      .get('/api/v1/eligible-assets')
      .query({ crisisType: 'NATURAL_DISASTER', departements: '06', categories: 'DRONE' })
      .set(bearer(operator.token))
      .expect(200);
    const rows = response.body.filter((row: { assetId: string }) => row.assetId === fixture.assetId);
    expect(rows).toEqual([expect.objectContaining({ conventionId: second.body.id, directorateCode: 'DGPN', ackWithinMinutes: 15 })]);
  });

  it('is open to operators, the minister, the ADMIN and auditors, and validates its criteria', async () => {
    const member = (await activeConvention(t, directorate)).user;
    const query = { crisisType: 'NATURAL_DISASTER', departements: '06', categories: 'DRONE' };
    await t.http.get('/api/v1/eligible-assets').query(query).set(bearer(member.token)).expect(403);
    await t.http.get('/api/v1/eligible-assets').query(query).set(bearer(directorate.token)).expect(403);
    const minister = await t.signedInUser('MINISTER');
    await t.http.get('/api/v1/eligible-assets').query(query).set(bearer(minister.token)).expect(200);
    const bad = await t.http.get('/api/v1/eligible-assets').query({ ...query, departements: '06,20' }).set(bearer(operator.token)).expect(400);
    expect(bad.body.details[0].field).toBe('departements');
    await t.http.get('/api/v1/eligible-assets').query({ ...query, crisisType: 'ALIENS' }).set(bearer(operator.token)).expect(400);
  });
});
