import { FixedClock } from '../src/common/time/clock.js';
import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

/**
 * The activation report, the member report and the convention report read the same requests:
 * they must give the same on time / late / missed figures, at any moment of the activation.
 */
describe('Reports agree on on time, late and missed', () => {
  // Read at T0 + 600 minutes, which is now: the running deadline is in the future for the
  // application's clock and for the database's alike.
  const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 600 * 60_000);
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  const clock = new FixedClock(at(-24 * 60));
  const keys = ['onTime', 'late', 'neverDeployed', 'silent', 'stillRunning', 'declined'] as const;
  type Key = (typeof keys)[number];
  const FIELDS = ['requests', 'accepted', 'declined', 'ackOnTime', 'ackLate', 'ackMissed', 'deployOnTime', 'deployLate', 'deployMissed'] as const;
  let t: TestApp;
  let actors: CrisisActors;
  let auditor: string;
  let activationId: string;
  const members = {} as Record<Key, Responder>;
  const requestOf = {} as Record<Key, string>;
  const conventionOf = {} as Record<Key, string>;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' }, clock });
    actors = await crisisActors(t);
    auditor = (await t.signedInUser('AUDITOR')).token;
    const category = await isolatedCategory(t);
    // Every convention: acknowledge within 30 minutes, deploy within 240 minutes of the acceptance.
    for (const key of keys) members[key] = await responder(t, actors.directorate, null, { category, ackWithinMinutes: 30 });

    clock.set(T0);
    ({ activationId } = await preparedActivation(t, actors, [{ category, quantity: 10 }]));
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    await eventually(async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n === keys.length);
    for (const key of keys) {
      const [row] = await t.db.query(`SELECT id, convention_id FROM mobilization_request WHERE activation_id = $1 AND member_id = $2`, [activationId, members[key].member.id]);
      requestOf[key] = row.id;
      conventionOf[key] = row.convention_id;
    }
    const step = async (minutes: number, key: Key, action: string, body: Record<string, unknown> = {}) => {
      clock.set(at(minutes));
      await t.http.post(`/api/v1/mobilizations/${requestOf[key]}/${action}`).set(bearer(members[key].user.token)).send(body).expect(200);
    };
    await step(5, 'neverDeployed', 'acknowledge');
    await step(5, 'stillRunning', 'acknowledge');
    await step(6, 'neverDeployed', 'accept'); // deployment due at 246, never deployed: missed
    await step(10, 'onTime', 'acknowledge');
    await step(12, 'onTime', 'accept');
    await step(20, 'declined', 'acknowledge');
    await step(21, 'declined', 'decline', { reasonCode: 'NOT_AVAILABLE' });
    await step(45, 'late', 'acknowledge'); // due at 30: late
    await step(46, 'late', 'accept');
    await step(100, 'onTime', 'deploy'); // due at 252: on time
    await step(400, 'late', 'deploy'); // due at 286: late
    await step(500, 'stillRunning', 'accept'); // due at 740: still running when read at 600
    clock.set(at(600));
    // 'silent' never acknowledges (due at 30): missed.
  });
  afterAll(async () => {
    await t.close();
  });

  const figuresOf = (row: Record<string, unknown>) => Object.fromEntries(FIELDS.map((field) => [field, row[field]]));

  it('gives the expected figures in the activation report, a deadline still running counted nowhere', async () => {
    const { body } = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(auditor)).expect(200);
    expect(figuresOf(body.conformance)).toEqual({
      requests: 6, accepted: 4, declined: 1, ackOnTime: 4, ackLate: 1, ackMissed: 1, deployOnTime: 1, deployLate: 1, deployMissed: 1,
    });
    const byMember = Object.fromEntries(body.byMember.map((row: { memberId: string }) => [row.memberId, row]));
    expect(figuresOf(byMember[members.stillRunning.member.id])).toMatchObject({ accepted: 1, ackOnTime: 1, deployOnTime: 0, deployLate: 0, deployMissed: 0 });
  });

  it('gives, for every member and every convention, the figures the activation report gives', async () => {
    const report = (await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(auditor)).expect(200)).body;
    const byMember = Object.fromEntries(report.byMember.map((row: { memberId: string }) => [row.memberId, figuresOf(row)]));
    const sum = Object.fromEntries(FIELDS.map((field) => [field, 0])) as Record<string, number>;
    for (const key of keys) {
      const expected = byMember[members[key].member.id];
      const member = (await t.http.get(`/api/v1/reports/members/${members[key].member.id}`).set(bearer(auditor)).expect(200)).body;
      const convention = (await t.http.get(`/api/v1/reports/conventions/${conventionOf[key]}`).set(bearer(auditor)).expect(200)).body;
      expect({ key, member: figuresOf(member.history[0]) }).toEqual({ key, member: expected });
      expect({ key, member: figuresOf(member.real) }).toEqual({ key, member: expected });
      expect({ key, convention: figuresOf(convention.history[0]) }).toEqual({ key, convention: expected });
      expect({ key, convention: figuresOf(convention.real) }).toEqual({ key, convention: expected });
      for (const field of FIELDS) sum[field] += expected[field];
    }
    expect(sum).toEqual(figuresOf(report.conformance));
  });

  it('counts the running deadline as missed, in every report, once it has passed', async () => {
    clock.set(at(741));
    try {
      const report = (await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(auditor)).expect(200)).body;
      const member = (await t.http.get(`/api/v1/reports/members/${members.stillRunning.member.id}`).set(bearer(auditor)).expect(200)).body;
      const convention = (await t.http.get(`/api/v1/reports/conventions/${conventionOf.stillRunning}`).set(bearer(auditor)).expect(200)).body;
      expect(report.conformance.deployMissed).toBe(2);
      expect(member.real.deployMissed).toBe(1);
      expect(convention.real.deployMissed).toBe(1);
    } finally {
      clock.set(at(600));
    }
  });
});
