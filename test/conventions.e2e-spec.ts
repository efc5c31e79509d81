import { FixedClock } from '../src/common/time/clock.js';
import { activeConvention, conventionBody } from './support/conventions.js';
import { droneAsset, memberWithUser, type MemberFixture } from './support/fixtures.js';
import { bearer, type SignedInUser, TestApp } from './support/test-app.js';

describe('Conventions between members and directorates', () => {
  const clock = new FixedClock(new Date('2026-03-02T10:00:00Z'));
  let t: TestApp;
  let admin: string;
  let dgscgc: SignedInUser;
  let dgpn: SignedInUser;
  let operator: SignedInUser;
  let auditor: SignedInUser;
  let a: MemberFixture;
  let b: MemberFixture;
  let assetA: string;
  let assetB: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' }, clock });
    admin = await t.adminToken();
    dgscgc = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGSCGC' });
    dgpn = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' });
    operator = await t.signedInUser('CRISIS_OPERATOR');
    auditor = await t.signedInUser('AUDITOR');
    a = await memberWithUser(t, { legalName: 'Alpha Drones' });
    b = await memberWithUser(t, { legalName: 'Bravo Telecom' });
    assetA = (await t.http.post('/api/v1/assets').set(bearer(a.user.token)).send(droneAsset()).expect(201)).body.id;
    assetB = (await t.http.post('/api/v1/assets').set(bearer(b.user.token)).send(droneAsset()).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const draft = (who: SignedInUser, body: Record<string, unknown>) => t.http.post('/api/v1/conventions').set(bearer(who.token)).send(body);
  const act = (who: SignedInUser | string, id: string, action: string, body: Record<string, unknown> = {}) =>
    t.http.post(`/api/v1/conventions/${id}/${action}`).set(bearer(typeof who === 'string' ? who : who.token)).send(body);
  const get = (who: SignedInUser, id: string) => t.http.get(`/api/v1/conventions/${id}`).set(bearer(who.token));
  const eventTypes = async (id: string) =>
    (await t.http.get('/api/v1/audit/events').query({ aggregateId: id }).set(bearer(admin)).expect(200)).body.items.map(
      (e: { type: string; actorRole: string }) => `${e.type}:${e.actorRole}`,
    );

  describe('drafting and the happy path', () => {
    it('goes draft → propose → sign → countersign → ACTIVE, each step audited with its actor', async () => {
      const drafted = await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201);
      expect(drafted.body).toMatchObject({
        status: 'DRAFT', version: 1, directorateCode: 'DGSCGC', memberId: a.member.id, assetIds: [assetA],
        startsOn: '2026-01-01', endsOn: '2027-01-01', reviewOn: '2026-10-01', tacitRenewal: false, allowedActions: ['propose'],
      });
      const id = drafted.body.id;
      expect((await act(dgscgc, id, 'propose').expect(200)).body.status).toBe('PROPOSED');
      expect((await act(a.user, id, 'sign').expect(200)).body).toMatchObject({ status: 'SIGNED', signedAt: clock.now().toISOString() });
      expect((await act(dgscgc, id, 'countersign').expect(200)).body.status).toBe('ACTIVE');
      expect(await eventTypes(id)).toEqual([
        'ConventionDrafted:DIRECTORATE', 'ConventionProposed:DIRECTORATE', 'ConventionSigned:MEMBER', 'ConventionCountersigned:DIRECTORATE',
      ]);
    });

    it('refuses covering an asset of another member, or a RETIRED one, with 400', async () => {
      const foreign = await draft(dgscgc, conventionBody(a.member.id, [assetA, assetB])).expect(400);
      expect(foreign.body.details[0]).toMatchObject({ field: 'assetIds' });
      const retired = (await t.http.post('/api/v1/assets').set(bearer(a.user.token)).send(droneAsset()).expect(201)).body;
      await t.http.patch(`/api/v1/assets/${retired.id}`).set(bearer(a.user.token)).send({ version: 1, status: 'RETIRED' }).expect(200);
      const response = await draft(dgscgc, conventionBody(a.member.id, [retired.id])).expect(400);
      expect(response.body.message).toContain('RETIRED');
    });

    it('drafts only with an ACTIVE member, and validates terms', async () => {
      const pending = await memberWithUser(t, { vet: false });
      const asset = (await t.http.post('/api/v1/assets').set(bearer(pending.user.token)).send(droneAsset()).expect(201)).body;
      const refused = await draft(dgscgc, conventionBody(pending.member.id, [asset.id])).expect(409);
      expect(refused.body.message).toContain('PENDING');
      await draft(dgscgc, conventionBody(a.member.id, [assetA], { crisisTypes: [] })).expect(400);
      await draft(dgscgc, conventionBody(a.member.id, [assetA], { crisisTypes: ['ALIENS'] })).expect(400);
      await draft(dgscgc, conventionBody(a.member.id, [assetA], { scope: { departements: ['20'] } })).expect(400);
      const ends = await draft(dgscgc, conventionBody(a.member.id, [assetA], { endsOn: '2025-12-31' })).expect(400);
      expect(ends.body.details[0].field).toBe('endsOn');
      await draft(dgscgc, conventionBody(a.member.id, [assetA], { ackWithinMinutes: 0 })).expect(400);
    });

    it('lets the drafting directorate edit a DRAFT, and nothing else', async () => {
      const id = (await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201)).body.id;
      const edited = await t.http.patch(`/api/v1/conventions/${id}`).set(bearer(dgscgc.token)).send({ ackWithinMinutes: 15, endsOn: '2026-07-01' }).expect(200);
      expect(edited.body).toMatchObject({ ackWithinMinutes: 15, endsOn: '2026-07-01', reviewOn: '2026-04-01' });
      await act(dgscgc, id, 'propose').expect(200);
      const refused = await t.http.patch(`/api/v1/conventions/${id}`).set(bearer(dgscgc.token)).send({ ackWithinMinutes: 10 }).expect(409);
      expect(refused.body.message).toContain('PROPOSED');
    });

    it('lets the member reject a proposal back to DRAFT, with a reason', async () => {
      const id = (await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201)).body.id;
      await act(dgscgc, id, 'propose').expect(200);
      await act(a.user, id, 'reject').expect(400);
      expect((await act(a.user, id, 'reject', { reason: 'Lead time too short' }).expect(200)).body).toMatchObject({
        status: 'DRAFT', statusReason: 'Lead time too short',
      });
    });

    it('refuses an illegal transition with 409 naming the state and the allowed actions', async () => {
      const id = (await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201)).body.id;
      const response = await act(dgscgc, id, 'countersign').expect(409);
      expect(response.body.code).toBe('CONVENTION.ILLEGAL_TRANSITION');
      expect(response.body.message).toMatch(/DRAFT.*propose/);
    });
  });

  describe('parties', () => {
    it('refuses a directorate drafting for another directorate', async () => {
      const response = await draft(dgpn, { ...conventionBody(a.member.id, [assetA]), directorateCode: 'DGSCGC' }).expect(403);
      expect(response.body.code).toBe('CONVENTION.OTHER_DIRECTORATE');
      await draft(operator, conventionBody(a.member.id, [assetA])).expect(403);
      await draft(a.user, conventionBody(a.member.id, [assetA])).expect(403);
    });

    it("refuses another directorate proposing, countersigning or reading a convention it is not party to", async () => {
      const id = (await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201)).body.id;
      await act(dgpn, id, 'propose').expect(404);
      await act(dgscgc, id, 'propose').expect(200);
      await act(a.user, id, 'sign').expect(200);
      await act(dgpn, id, 'countersign').expect(404);
      await get(dgpn, id).expect(404);
    });

    it("refuses a member signing another member's convention, and countersigning its own", async () => {
      const id = (await draft(dgscgc, conventionBody(a.member.id, [assetA])).expect(201)).body.id;
      await act(dgscgc, id, 'propose').expect(200);
      await act(b.user, id, 'sign').expect(404);
      await get(b.user, id).expect(404);
      const wrongParty = await act(dgscgc, id, 'sign').expect(403);
      expect(wrongParty.body.code).toBe('CONVENTION.WRONG_PARTY');
      await act(a.user, id, 'sign').expect(200);
      await act(a.user, id, 'countersign').expect(403);
    });

    it('lets auditors, operators and the minister read, and none of them act', async () => {
      const { conventionId } = await activeConvention(t, dgscgc);
      await get(auditor, conventionId).expect(200);
      await get(operator, conventionId).expect(200);
      await act(auditor, conventionId, 'suspend').expect(403);
      await act(operator, conventionId, 'terminate', { reason: 'x' }).expect(403);
    });
  });

  describe('in force: suspend, resume, terminate, renew', () => {
    it('suspends and resumes; terminates with a reason, by either party', async () => {
      const first = await activeConvention(t, dgscgc);
      expect((await act(dgscgc, first.conventionId, 'suspend').expect(200)).body.status).toBe('SUSPENDED');
      expect((await act(dgscgc, first.conventionId, 'resume').expect(200)).body.status).toBe('ACTIVE');
      await act(dgscgc, first.conventionId, 'terminate').expect(400);
      expect((await act(dgscgc, first.conventionId, 'terminate', { reason: 'Charter left' }).expect(200)).body.status).toBe('TERMINATED');
      await act(dgscgc, first.conventionId, 'resume').expect(409);
      const second = await activeConvention(t, dgscgc);
      expect((await act(second.user, second.conventionId, 'terminate', { reason: 'Company closing' }).expect(200)).body.status).toBe('TERMINATED');
    });

    it('renews an ACTIVE convention for one more term, moving its review date', async () => {
      const { conventionId } = await activeConvention(t, dgscgc);
      const renewed = await t.http.post(`/api/v1/conventions/${conventionId}/renew`).set(bearer(dgscgc.token)).expect(200);
      expect(renewed.body).toMatchObject({ status: 'ACTIVE', endsOn: '2028-01-01', reviewOn: '2027-10-01', renewals: 1 });
      expect(await eventTypes(conventionId)).toContain('ConventionRenewed:DIRECTORATE');
    });
  });

  describe('amendments', () => {
    it('keeps exactly one version in force through an amendment, then supersedes the old one', async () => {
      const { conventionId, user } = await activeConvention(t, dgscgc);
      const inForce = async () =>
        (await t.db.query(`SELECT id FROM convention WHERE lineage_id = $1 AND status IN ('ACTIVE','SUSPENDED')`, [conventionId])).map(
          (row: { id: string }) => row.id,
        );
      const amendment = await act(dgscgc, conventionId, 'amend').expect(201);
      expect(amendment.body).toMatchObject({ status: 'DRAFT', version: 2, previousVersionId: conventionId, lineageId: conventionId });
      const second = await act(dgscgc, conventionId, 'amend').expect(409);
      expect(second.body.code).toBe('CONVENTION.AMENDMENT_OPEN');
      await t.http.patch(`/api/v1/conventions/${conventionId}`).set(bearer(dgscgc.token)).send({ ackWithinMinutes: 10 }).expect(409);

      const v2 = amendment.body.id;
      await t.http.patch(`/api/v1/conventions/${v2}`).set(bearer(dgscgc.token)).send({ ackWithinMinutes: 10 }).expect(200);
      expect(await inForce()).toEqual([conventionId]);
      await act(dgscgc, v2, 'propose').expect(200);
      expect(await inForce()).toEqual([conventionId]);
      await act(user, v2, 'sign').expect(200);
      expect(await inForce()).toEqual([conventionId]);
      expect((await act(dgscgc, v2, 'countersign').expect(200)).body).toMatchObject({ status: 'ACTIVE', ackWithinMinutes: 10 });
      expect(await inForce()).toEqual([v2]);
      expect((await get(dgscgc, conventionId).expect(200)).body.status).toBe('SUPERSEDED');
      expect(await eventTypes(conventionId)).toContain('ConventionSuperseded:DIRECTORATE');
      await act(dgscgc, v2, 'amend').expect(201);
    });
  });

  describe('reading', () => {
    it('shows a member its own conventions, a directorate those it is party to, operators all', async () => {
      const mine = await activeConvention(t, dgpn);
      const ids = async (who: SignedInUser, query: Record<string, string> = {}) =>
        (await t.http.get('/api/v1/conventions').query({ pageSize: 200, ...query }).set(bearer(who.token)).expect(200)).body.items.map(
          (c: { id: string }) => c.id,
        );
      expect(await ids(mine.user)).toEqual([mine.conventionId]);
      expect(await ids(mine.user, { memberId: a.member.id })).toEqual([]);
      expect(await ids(dgpn)).toContain(mine.conventionId);
      expect(await ids(dgscgc)).not.toContain(mine.conventionId);
      expect(await ids(dgscgc, { directorateCode: 'DGPN' })).toEqual([]);
      expect(await ids(operator, { directorateCode: 'DGPN', status: 'ACTIVE' })).toContain(mine.conventionId);
    });

    it('filters conventions expiring before a day', async () => {
      const soon = await activeConvention(t, dgpn, { convention: { startsOn: '2026-02-01', endsOn: '2026-06-30' } });
      const later = await activeConvention(t, dgpn, { convention: { startsOn: '2026-02-01', endsOn: '2027-06-30' } });
      const list = await t.http.get('/api/v1/conventions').query({ expiringBefore: '2026-07-01', pageSize: 200 }).set(bearer(operator.token)).expect(200);
      const ids = list.body.items.map((c: { id: string }) => c.id);
      expect(ids).toContain(soon.conventionId);
      expect(ids).not.toContain(later.conventionId);
    });
  });

  describe('time: expiry, tacit renewal, review reminders', () => {
    const runCalendar = () => t.http.post('/api/v1/conventions/calendar/run').set(bearer(admin)).expect(200);

    it('expires a non-renewing convention past its end, renews a tacitly renewable one, both audited, idempotently', async () => {
      clock.set(new Date('2026-03-02T10:00:00Z'));
      const ending = await activeConvention(t, dgscgc, { convention: { startsOn: '2026-01-01', endsOn: '2026-04-30' } });
      const renewing = await activeConvention(t, dgscgc, { convention: { startsOn: '2026-01-01', endsOn: '2026-04-30', tacitRenewal: true } });

      clock.set(new Date('2026-04-30T20:00:00Z'));
      await runCalendar();
      expect((await get(dgscgc, ending.conventionId)).body.status).toBe('ACTIVE');

      clock.set(new Date('2026-05-01T07:00:00Z'));
      const run = await runCalendar();
      expect(run.body.day).toBe('2026-05-01');
      expect((await get(dgscgc, ending.conventionId)).body.status).toBe('EXPIRED');
      expect((await get(dgscgc, renewing.conventionId)).body).toMatchObject({ status: 'ACTIVE', endsOn: '2026-08-27', renewals: 1 });
      expect(await eventTypes(ending.conventionId)).toContain('ConventionExpired:SYSTEM');
      expect(await eventTypes(renewing.conventionId)).toContain('ConventionRenewed:SYSTEM');

      const again = await runCalendar();
      expect(again.body).toMatchObject({ expired: 0, renewed: 0 });
      expect((await get(dgscgc, renewing.conventionId)).body.endsOn).toBe('2026-08-27');
      expect((await eventTypes(renewing.conventionId)).filter((e: string) => e.startsWith('ConventionRenewed'))).toHaveLength(1);
    });

    it('sends one review reminder per review date to both parties', async () => {
      clock.set(new Date('2026-03-02T10:00:00Z'));
      const { conventionId } = await activeConvention(t, dgscgc, { convention: { startsOn: '2026-01-01', endsOn: '2026-12-31', reviewOn: '2026-09-15' } });
      clock.set(new Date('2026-09-14T12:00:00Z'));
      await runCalendar();
      expect(await eventTypes(conventionId)).not.toContain('ConventionReviewDue:SYSTEM');
      clock.set(new Date('2026-09-15T06:00:00Z'));
      await runCalendar();
      await runCalendar();
      const events = (await t.http.get('/api/v1/audit/events').query({ aggregateId: conventionId, type: 'ConventionReviewDue' }).set(bearer(admin))).body;
      expect(events.total).toBe(1);
      expect(events.items[0].payload).toMatchObject({ reviewOn: '2026-09-15', directorateCode: 'DGSCGC' });
      clock.set(new Date('2026-03-02T10:00:00Z'));
    });

    it('runs the calendar for the ADMIN only', async () => {
      await t.http.post('/api/v1/conventions/calendar/run').set(bearer(dgscgc.token)).expect(403);
    });
  });
});
