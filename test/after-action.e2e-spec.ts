import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FixedClock } from '../src/common/time/clock.js';
import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { parseCsv } from './support/csv.js';

describe('After-action review of a scripted activation', () => {
  const T0 = new Date('2026-06-01T08:00:00Z');
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  const clock = new FixedClock(new Date('2026-05-01T08:00:00Z'));
  let t: TestApp;
  let actors: CrisisActors;
  let auditor: string;
  let activationId: string;
  const members: Record<'a' | 'b' | 'c' | 'd', Responder> = {} as never;
  const requestOf: Record<string, string> = {};

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' }, clock });
    actors = await crisisActors(t);
    auditor = (await t.signedInUser('AUDITOR')).token;
    const category = await isolatedCategory(t);
    const names = { a: 'Alpha, "Drones" SAS', b: 'Bravo Télécom', c: 'Charlie\nSécurité', d: 'Delta Cyber' };
    for (const key of ['a', 'b', 'c', 'd'] as const) {
      members[key] = await responder(t, actors.directorate, null, { category });
      await t.http.patch(`/api/v1/members/${members[key].member.id}`).set(bearer(await t.adminToken())).send({ legalName: names[key] }).expect(200);
    }

    clock.set(T0);
    const prepared = await (async () => {
      const crisis = await t.http.post('/api/v1/crises').set(bearer(actors.operator.token))
        .send({ title: 'Crues, "Var"', type: 'NATURAL_DISASTER', departements: ['06', '83'], severity: 4 }).expect(201);
      clock.set(at(10));
      const activation = await t.http.post(`/api/v1/crises/${crisis.body.id}/activations`).set(bearer(actors.operator.token))
        .send({ decisionReference: 'DM-2026-117', requirements: [{ category, quantity: 2 }] }).expect(201);
      return activation.body.id as string;
    })();
    activationId = prepared;
    clock.set(at(20));
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n === 4);
    for (const key of ['a', 'b', 'c', 'd'] as const) {
      const list = await t.http.get('/api/v1/mobilizations').query({ activationId }).set(bearer(members[key].user.token)).expect(200);
      requestOf[key] = list.body.items[0].id;
    }
    const step = async (minutes: number, key: 'a' | 'b' | 'c', action: string, body: Record<string, unknown> = {}) => {
      clock.set(at(minutes));
      await t.http.post(`/api/v1/mobilizations/${requestOf[key]}/${action}`).set(bearer(members[key].user.token)).send(body).expect(200);
    };
    await step(25, 'a', 'acknowledge');
    await step(30, 'a', 'accept');
    await step(40, 'b', 'acknowledge');
    await step(52, 'c', 'acknowledge');
    await step(53, 'c', 'decline', { reasonCode: 'NOT_AVAILABLE', comment: 'Équipe, "déjà" engagée' });
    await step(55, 'b', 'accept');
    await step(90, 'a', 'deploy');
    await step(300, 'b', 'deploy');
    await step(300, 'a', 'release');
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports distributions, conformance buckets, decline reasons and requirements exactly', async () => {
    const { body } = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(auditor)).expect(200);
    expect(body).toMatchObject({
      status: 'FULFILLED',
      requestCount: 4,
      countsByStatus: { RELEASED: 1, DEPLOYED: 1, DECLINED: 1, STOOD_DOWN: 1 },
      timeToNotify: { count: 4, p50Seconds: 0, p90Seconds: 0, maxSeconds: 0 },
      timeToAcknowledge: { count: 3, p50Seconds: 1200, p90Seconds: 1920, maxSeconds: 1920 },
      timeToAccept: { count: 2, p50Seconds: 600, p90Seconds: 2100, maxSeconds: 2100 },
      timeToDeploy: { count: 2, p50Seconds: 3600, p90Seconds: 14700, maxSeconds: 14700 },
      conformance: {
        requests: 4, accepted: 2, declined: 1, escalated: 0,
        ackOnTime: 2, ackLate: 1, ackMissed: 1, deployOnTime: 1, deployLate: 1, deployMissed: 0,
      },
      declineReasons: [{ reasonCode: 'NOT_AVAILABLE', count: 1 }],
      escalations: { requests: 0, levels: 0 },
      requirements: [{ quantity: 2, acceptedQuantity: 2, metAt: at(55).toISOString(), metAfterSeconds: 2100 }],
      byDirectorate: [{ directorateCode: 'DGSCGC', requests: 4, ackOnTime: 2, ackLate: 1, ackMissed: 1 }],
    });
    const byMember = Object.fromEntries(body.byMember.map((row: { memberId: string }) => [row.memberId, row]));
    expect(byMember[members.a.member.id]).toMatchObject({ ackOnTime: 1, deployOnTime: 1, accepted: 1 });
    expect(byMember[members.b.member.id]).toMatchObject({ ackOnTime: 1, deployLate: 1 });
    expect(byMember[members.c.member.id]).toMatchObject({ ackLate: 1, declined: 1 });
    expect(byMember[members.d.member.id]).toMatchObject({ ackMissed: 1, accepted: 0 });
  });

  it('exports the per-member figures as CSV that parses back, names with commas, quotes and line breaks included', async () => {
    const viaAccept = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(auditor)).set('accept', 'text/csv').expect(200);
    expect(viaAccept.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const viaQuery = await t.http.get(`/api/v1/activations/${activationId}/report`).query({ format: 'csv' }).set(bearer(auditor)).expect(200);
    expect(viaQuery.text).toBe(viaAccept.text);
    const [header, ...rows] = parseCsv(viaAccept.text);
    expect(header).toEqual(['memberId', 'memberName', 'requests', 'accepted', 'declined', 'escalated', 'ackOnTime', 'ackLate', 'ackMissed', 'deployOnTime', 'deployLate', 'deployMissed']);
    expect(rows).toHaveLength(4);
    const byName = Object.fromEntries(rows.map((row) => [row[1], row]));
    expect(byName['Alpha, "Drones" SAS'].slice(2)).toEqual(['1', '1', '0', '0', '1', '0', '0', '1', '0', '0']);
    expect(byName['Charlie\nSécurité'][0]).toBe(members.c.member.id);
  });

  it('gives the timeline from T0, with elapsed times and who authorized, filtered by member', async () => {
    const { body } = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ pageSize: 200 }).set(bearer(auditor)).expect(200);
    expect(body).toMatchObject({ t0: T0.toISOString(), authorizedAt: at(20).toISOString() });
    expect(body.items.slice(0, 3)).toEqual([
      expect.objectContaining({ type: 'CrisisOpened', sinceT0Ms: 0, sinceAuthorizationMs: null }),
      expect.objectContaining({ type: 'ActivationPrepared', sinceT0Ms: 10 * 60_000 }),
      expect.objectContaining({ type: 'ActivationAuthorized', sinceT0Ms: 20 * 60_000, sinceAuthorizationMs: 0, actorEmail: actors.minister.email }),
    ]);
    const decline = body.items.find((e: { type: string }) => e.type === 'MobilizationRequestDeclined');
    expect(decline).toMatchObject({ requestId: requestOf.c, sinceT0Ms: 53 * 60_000, sinceAuthorizationMs: 33 * 60_000, details: { reasonCode: 'NOT_AVAILABLE' } });

    const alpha = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ memberId: members.a.member.id }).set(bearer(auditor)).expect(200);
    expect(alpha.body.items.map((e: { type: string }) => e.type)).toEqual([
      'MobilizationRequestNotified', 'MobilizationRequestAcknowledged', 'MobilizationRequestAccepted',
      'MobilizationRequestDeployed', 'MobilizationRequestReleased',
    ]);
    const stood = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ status: 'STOOD_DOWN' }).set(bearer(auditor)).expect(200);
    expect(stood.body.items.every((e: { requestId: string }) => e.requestId === requestOf.d)).toBe(true);
    const paged = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ pageSize: 5, page: 2 }).set(bearer(auditor)).expect(200);
    expect(paged.body.items[0].sequence).toBe(body.items[5].sequence);
    await t.http.get(`/api/v1/activations/${activationId}/timeline`).set(bearer(members.a.user.token)).expect(403);
  });

  it('exports the thread as EDXL-RM 1.0 messages in a Renfort wrapper, linked and in the order their facts took effect', async () => {
    const response = await t.http.get(`/api/v1/activations/${activationId}/edxl-rm`).set(bearer(auditor)).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    expect(XMLValidator.validate(response.text)).toBe(true);
    expect(response.text).toContain('<rt:MessageThread xmlns:rt="urn:renfort:edxl-rm:thread:1"');
    expect(response.text).toContain('xmlns="urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg" xmlns:rm="urn:oasis:names:tc:emergency:EDXL:RM:1.0"');
    const doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, isArray: (_name, path, _leaf, isAttribute) => !isAttribute && String(path).split('.').length > 1 }).parse(response.text);
    const wrapped: { '@_type': string; '@_n': string; [type: string]: any }[] = doc.MessageThread.Message;
    const messages = wrapped.map((entry) => ({ type: entry['@_type'], n: Number(entry['@_n']), ...entry[entry['@_type']][0] }));
    const value = (node: any, ...path: string[]) => path.reduce((at, name) => at?.[name]?.[0], node);
    const responseType = (m: any) => value(m, 'ResourceInformation', 'ResponseInformation', 'ResponseType');
    expect(messages.map((m) => (m.type === 'ResponseToRequestResource' ? responseType(m) : m.type))).toEqual([
      'RequestResource', 'Provisional', 'Accept', 'CommitResource', 'Provisional', 'Provisional', 'Decline', 'Accept', 'CommitResource',
      'ReportResourceDeploymentStatus', 'ReportResourceDeploymentStatus', 'ReleaseResource',
    ]);
    expect(messages.map((m) => m.n)).toEqual(messages.map((_, i) => i + 1));
    const [request] = messages;
    const requestId = value(request, 'MessageID');
    expect(value(request, 'SentDateTime')).toBe(at(20).toISOString());
    for (const message of messages) expect(value(message, 'OriginatingMessageID')).toBe(requestId);

    const byId = new Map<string, any>(messages.map((m) => [value(m, 'MessageID'), m]));
    const release = messages.find((m) => m.type === 'ReleaseResource')!;
    expect(value(release, 'SentDateTime')).toBe(at(300).toISOString());
    expect(value(release, 'ResourceInformation', 'ResourceInfoElementID')).toBe(requestOf.a);
    const chain: string[] = [];
    for (let m = release; m; m = byId.get(value(m, 'PrecedingMessageID'))) chain.push(m.type === 'ResponseToRequestResource' ? responseType(m) : m.type);
    expect(chain).toEqual(['ReleaseResource', 'ReportResourceDeploymentStatus', 'CommitResource', 'Accept', 'Provisional', 'RequestResource']);
    const decline = messages.find((m) => responseType(m) === 'Decline')!;
    expect(value(decline, 'ResourceInformation', 'ResponseInformation', 'ReasonCode', 'Value')).toBe('NOT_AVAILABLE');
    expect(value(decline, 'ResourceInformation', 'ResponseInformation', 'ResponseReason')).toBe('Équipe, "déjà" engagée');
    expect(value(messages[3], 'ResourceInformation', 'AssignmentInformation', 'Quantity', 'MeasuredQuantity', 'Amount')).toBe(1);

    const list = await t.http.get(`/api/v1/activations/${activationId}/edxl-rm/messages`).set(bearer(auditor)).expect(200);
    expect(list.body.map((link: { type: string }) => link.type)).toEqual(messages.map((m) => m.type));
  });
});

describe('Exercises are reported apart from real crises', () => {
  let t: TestApp;
  let actors: CrisisActors;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function answered(category: string, member: Responder, exercise: boolean, answer: 'accept' | 'decline') {
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }], { exercise });
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    const id = await eventually(async () => {
      const items = (await t.http.get('/api/v1/mobilizations').query({ activationId }).set(bearer(member.user.token))).body.items;
      return items[0]?.status === 'NOTIFIED' ? (items[0].id as string) : undefined;
    });
    await t.http.post(`/api/v1/mobilizations/${id}/${answer}`).set(bearer(member.user.token))
      .send(answer === 'decline' ? { reasonCode: 'SAFETY' } : {}).expect(200);
    await t.http.post(`/api/v1/activations/${activationId}/close`).set(bearer(actors.operator.token)).send({}).expect(200);
  }

  it('keeps an exercise\'s figures out of the real-crisis figures of the member and the convention', async () => {
    const category = await isolatedCategory(t);
    const member = await responder(t, actors.directorate, null, { category });
    await answered(category, member, false, 'decline');
    const before = (await t.http.get(`/api/v1/reports/members/${member.member.id}`).set(bearer(actors.operator.token)).expect(200)).body;
    expect(before.real).toMatchObject({ activations: 1, requests: 1, declined: 1, accepted: 0, declineRate: 1 });
    expect(before.exercise).toMatchObject({ activations: 0, requests: 0, declineRate: null });

    await answered(category, member, true, 'accept');
    await answered(category, member, true, 'accept');
    const after = (await t.http.get(`/api/v1/reports/members/${member.member.id}`).set(bearer(member.user.token)).expect(200)).body;
    expect(after.real).toEqual(before.real);
    expect(after.exercise).toMatchObject({ activations: 2, requests: 2, accepted: 2, declined: 0, declineRate: 0 });
    expect(after.history.map((h: { exercise: boolean }) => h.exercise)).toEqual([false, true, true]);

    const [conventionId] = (await t.db.query(`SELECT DISTINCT convention_id FROM mobilization_request WHERE member_id = $1`, [member.member.id])).map(
      (row: { convention_id: string }) => row.convention_id,
    );
    const convention = (await t.http.get(`/api/v1/reports/conventions/${conventionId}`).set(bearer(actors.directorate.token)).expect(200)).body;
    expect(convention.real).toMatchObject({ activations: 1, declined: 1 });
    expect(convention.exercise).toMatchObject({ activations: 2, accepted: 2 });

    const stranger = await responder(t, actors.directorate, null, { category: await isolatedCategory(t) });
    await t.http.get(`/api/v1/reports/members/${member.member.id}`).set(bearer(stranger.user.token)).expect(404);
    await t.http.get(`/api/v1/reports/conventions/${conventionId}`).set(bearer(stranger.user.token)).expect(404);
  });
});
