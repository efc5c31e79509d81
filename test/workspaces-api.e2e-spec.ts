import { generate } from 'otplib';
import { PDFParse } from 'pdf-parse';
import { addDays, parisDay } from '../src/common/time/calendar.js';
import { activate, activeConvention, conventionBody } from './support/conventions.js';
import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { parseCsv } from './support/csv.js';
import { droneAsset, memberWithUser } from './support/fixtures.js';
import { bearer, eventually, type SignedInUser, TestApp } from './support/test-app.js';

/** The text of a PDF, its whitespace folded (lines wrap wherever the layout puts them). */
async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

/** supertest keeps a binary answer as a Buffer only when told to. */
function binary(res: unknown, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('The workspaces API', () => {
  let t: TestApp;
  let actors: CrisisActors;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  const documentOf = (id: string, token: string) => t.http.get(`/api/v1/conventions/${id}/document`).set(bearer(token)).buffer(true).parse(binary as never);

  describe('the convention as a document', () => {
    it('prints the parties, the covered means, the gratuity clause and the version hash, the same bytes for every reader', async () => {
      const fixture = await activeConvention(t, actors.directorate, { asset: { name: 'Drone Vésubie à caméra thermique', quantity: 4 } });
      const response = await documentOf(fixture.conventionId, fixture.user.token).expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

      const versions = (await t.http.get(`/api/v1/conventions/${fixture.conventionId}/versions`).set(bearer(admin)).expect(200)).body;
      const hash = versions.versions[0].hash as string;
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(response.headers.etag).toBe(`"${hash}"`);

      const text = await pdfText(pdf);
      expect(text).toContain('Convention de mise à disposition gracieuse de moyens');
      expect(text).toContain(fixture.member.legalName);
      expect(text).toContain(`SIREN ${fixture.member.siren}`);
      expect(text).toContain('(DGSCGC)');
      expect(text).toContain('Drone Vésubie à caméra thermique');
      expect(text).toContain('quantité : 4');
      expect(text).toContain('Article 7 – Gratuité');
      expect(text).toContain('à titre entièrement gracieux');
      expect(text).toContain('départements 06, 83');
      expect(text).toContain('dans un délai de 30 minutes');
      expect(text).toContain('dans un délai de 4 heures');
      expect(text).toContain('prend effet le 1er janvier 2026');
      expect(text).toContain('Statut : en vigueur');
      expect(text).toContain(hash);

      // Read again, by the other party and by an auditor: the same bytes.
      const again = (await documentOf(fixture.conventionId, actors.directorate.token).expect(200)).body as Buffer;
      const auditor = await t.signedInUser('AUDITOR');
      const third = (await documentOf(fixture.conventionId, auditor.token).expect(200)).body as Buffer;
      expect(again.equals(pdf)).toBe(true);
      expect(third.equals(pdf)).toBe(true);
    });

    it('answers 404 to a member or a directorate that is not a party', async () => {
      const fixture = await activeConvention(t, actors.directorate);
      const stranger = await memberWithUser(t);
      const otherDirectorate = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' });
      for (const token of [stranger.user.token, otherDirectorate.token]) {
        const refused = await t.http.get(`/api/v1/conventions/${fixture.conventionId}/document`).set(bearer(token)).expect(404);
        expect(refused.body.code).toBe('CONVENTION.NOT_FOUND');
        await t.http.get(`/api/v1/conventions/${fixture.conventionId}/versions`).set(bearer(token)).expect(404);
      }
      await t.http.get('/api/v1/conventions/not-a-uuid/document').set(bearer(admin)).expect(400);
    });
  });

  describe('versions side by side', () => {
    it('lists an amendment with what it changes from the version in force, and a document of its own', async () => {
      const fixture = await activeConvention(t, actors.directorate);
      const amendment = (await t.http.post(`/api/v1/conventions/${fixture.conventionId}/amend`).set(bearer(actors.directorate.token)).expect(201)).body;
      await t.http
        .patch(`/api/v1/conventions/${amendment.id}`)
        .set(bearer(actors.directorate.token))
        .send({ ackWithinMinutes: 20, scope: { departements: ['06', '83', '04'] } })
        .expect(200);

      // Asked through either version: the same lineage.
      const { body } = await t.http.get(`/api/v1/conventions/${amendment.id}/versions`).set(bearer(fixture.user.token)).expect(200);
      expect(body.lineageId).toBe(fixture.conventionId);
      expect(body.inForceId).toBe(fixture.conventionId);
      expect(body.versions.map((v: { version: number; status: string; inForce: boolean }) => [v.version, v.status, v.inForce])).toEqual([
        [1, 'ACTIVE', true],
        [2, 'DRAFT', false],
      ]);
      expect(body.versions[0].changes).toBeNull();
      expect(body.versions[1].changes).toEqual([
        { field: 'scope', before: { departements: ['06', '83'] }, after: { departements: ['04', '06', '83'] } },
        { field: 'ackWithinMinutes', before: 30, after: 20 },
      ]);
      expect(body.versions[1].hash).not.toBe(body.versions[0].hash);

      const draft = (await documentOf(amendment.id, actors.directorate.token).expect(200)).body as Buffer;
      expect(draft.equals((await documentOf(fixture.conventionId, actors.directorate.token)).body as Buffer)).toBe(false);
      const text = await pdfText(draft);
      expect(text).toContain('version 2 (avenant à la version 1)');
      expect(text).toContain('Statut : projet en cours de rédaction');
      expect(text).toContain('départements 04, 06, 83');
      expect(text).toContain(body.versions[1].hash);
    });
  });

  describe('the calendar', () => {
    it("lists, for the caller's scope, the reviews and ends due in the next days with what the nightly pass will do", async () => {
      const today = parisDay(new Date());
      const dated = (endsIn: number, reviewIn: number, tacitRenewal: boolean) => ({
        convention: { startsOn: addDays(today, -300), endsOn: addDays(today, endsIn), reviewOn: addDays(today, reviewIn), tacitRenewal },
      });
      const expiring = await activeConvention(t, actors.directorate, dated(20, 5, false));
      const renewing = await activeConvention(t, actors.directorate, dated(60, -2, true));
      const later = await activeConvention(t, actors.directorate, dated(200, 150, false));
      const dgpn = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' });
      const elsewhere = await activeConvention(t, dgpn, dated(10, 3, false));
      const ours = [expiring, renewing, later, elsewhere].map((f) => f.conventionId);

      const entries = (body: { items: { conventionId: string; kind: string; on: string; inDays: number }[] }) =>
        body.items.filter((item) => ours.includes(item.conventionId)).map((item) => [item.conventionId, item.kind, item.inDays]);

      const asAdmin = (await t.http.get('/api/v1/conventions/calendar').set(bearer(admin)).expect(200)).body;
      expect(asAdmin.from).toBe(today);
      expect(asAdmin.to).toBe(addDays(today, 90));
      expect(entries(asAdmin)).toEqual([
        [renewing.conventionId, 'REVIEW', -2],
        [elsewhere.conventionId, 'REVIEW', 3],
        [expiring.conventionId, 'REVIEW', 5],
        [elsewhere.conventionId, 'EXPIRY', 10],
        [expiring.conventionId, 'EXPIRY', 20],
        [renewing.conventionId, 'TACIT_RENEWAL', 60],
      ]);

      const asDirectorate = (await t.http.get('/api/v1/conventions/calendar').query({ days: 30 }).set(bearer(actors.directorate.token)).expect(200)).body;
      expect(entries(asDirectorate)).toEqual([
        [renewing.conventionId, 'REVIEW', -2],
        [expiring.conventionId, 'REVIEW', 5],
        [expiring.conventionId, 'EXPIRY', 20],
      ]);
      const asMember = (await t.http.get('/api/v1/conventions/calendar').query({ days: 365 }).set(bearer(later.user.token)).expect(200)).body;
      expect(asMember.items.map((item: { conventionId: string; kind: string }) => [item.conventionId, item.kind])).toEqual([
        [later.conventionId, 'REVIEW'],
        [later.conventionId, 'EXPIRY'],
      ]);

      for (const days of ['0', '731', 'soon']) {
        const refused = await t.http.get('/api/v1/conventions/calendar').query({ days }).set(bearer(admin)).expect(400);
        expect(refused.body.message).toContain('days');
      }
    });
  });

  describe('timelines and reports', () => {
    let member: Responder;
    let activationId: string;

    /** One request, notified, acknowledged, accepted, deployed. */
    async function answeredActivation(who: Responder, category: string, exercise: boolean): Promise<string> {
      const prepared = await preparedActivation(t, actors, [{ category, quantity: 1 }], { exercise });
      await t.http.post(`/api/v1/activations/${prepared.activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
      const requestId = await eventually(async () => {
        const items = (await t.http.get('/api/v1/mobilizations').query({ activationId: prepared.activationId }).set(bearer(who.user.token))).body.items;
        return items[0]?.status === 'NOTIFIED' ? (items[0].id as string) : undefined;
      });
      for (const step of ['acknowledge', 'accept', 'deploy']) {
        await t.http.post(`/api/v1/mobilizations/${requestId}/${step}`).set(bearer(who.user.token)).send({}).expect(200);
      }
      return prepared.activationId;
    }

    beforeAll(async () => {
      const category = await isolatedCategory(t);
      // A name a spreadsheet would run as a formula: the CSV must show it, never evaluate it.
      const legalName = `=HYPERLINK("http://x.example") Drones ${Date.now()}`;
      const fixture = await memberWithUser(t, { legalName });
      const asset = await t.http.post('/api/v1/assets').set(bearer(fixture.user.token)).send(droneAsset({ category, quantity: 1 })).expect(201);
      const convention = await t.http
        .post('/api/v1/conventions')
        .set(bearer(actors.directorate.token))
        .send(conventionBody(fixture.member.id, [asset.body.id], { ackWithinMinutes: 45, deployWithinMinutes: 180 }))
        .expect(201);
      await activate(t, convention.body.id, actors.directorate, fixture.user);
      member = { ...fixture, path: null, assetIds: [asset.body.id], contactIds: [] };
      activationId = await answeredActivation(member, category, false);
    });

    it('names the member and the asset in the timeline, and exports every event as neutralized CSV', async () => {
      const json = (await t.http.get(`/api/v1/activations/${activationId}/timeline`).set(bearer(actors.operator.token)).expect(200)).body;
      const accepted = json.items.find((item: { type: string }) => item.type === 'MobilizationRequestAccepted');
      expect(accepted).toMatchObject({ memberName: member.member.legalName, assetName: 'Quadcopter with thermal camera' });

      const csv = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ format: 'csv', pageSize: 1 }).set(bearer(actors.operator.token)).expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain('attachment');
      const [header, ...rows] = parseCsv(csv.text);
      expect(header.slice(0, 10)).toEqual(['sequence', 'at', 'sinceT0Seconds', 'sinceAuthorizationSeconds', 'step', 'type', 'requestId', 'memberId', 'memberName', 'assetName']);
      expect(rows).toHaveLength(json.total);
      const steps = rows.map((row) => row[header.indexOf('step')]);
      expect(steps).toEqual(expect.arrayContaining(['crisis opened (T0)', 'activation authorized', 'notified', 'acknowledged', 'accepted', 'deployed']));
      for (const step of ['notified', 'acknowledged', 'accepted', 'deployed']) {
        const row = rows.find((r) => r[header.indexOf('step')] === step)!;
        expect(row[header.indexOf('memberName')]).toBe(`'${member.member.legalName}`);
        expect(row[header.indexOf('assetName')]).toBe('Quadcopter with thermal camera');
      }

      const byAccept = await t.http.get(`/api/v1/activations/${activationId}/timeline`).set('accept', 'text/csv').set(bearer(admin)).expect(200);
      expect(byAccept.text).toBe(csv.text);
      await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ format: 'xls' }).set(bearer(admin)).expect(400);
    });

    it('reports a directorate across activations with committed times against measured ones, exercises apart', async () => {
      const report = (await t.http.get('/api/v1/reports/directorates/DGSCGC').set(bearer(actors.directorate.token)).expect(200)).body;
      expect(report.subject).toEqual({ kind: 'directorate', id: 'DGSCGC' });
      const entry = report.history.find((h: { activationId: string }) => h.activationId === activationId);
      expect(entry).toMatchObject({ exercise: false, requests: 1, accepted: 1, committedAckMinutes: 45, committedDeployMinutes: 180 });
      expect(entry.ackSecondsP50).toEqual(expect.any(Number));
      expect(entry.deploySecondsP50).toEqual(expect.any(Number));
      expect(report.real.requests).toBeGreaterThanOrEqual(1);

      const memberReport = (await t.http.get(`/api/v1/reports/members/${member.member.id}`).set(bearer(member.user.token)).expect(200)).body;
      expect(memberReport.real).toMatchObject({ activations: 1, requests: 1, committedAckMinutes: 45, committedDeployMinutes: 180 });
      expect(memberReport.exercise).toMatchObject({ activations: 0, committedAckMinutes: null, ackSecondsP50: null });

      const otherDirectorate = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' });
      expect((await t.http.get('/api/v1/reports/directorates/DGSCGC').set(bearer(otherDirectorate.token)).expect(404)).body.code).toBe('DIRECTORATE.NOT_FOUND');
      await t.http.get('/api/v1/reports/directorates/NOWHERE').set(bearer(admin)).expect(404);
      await t.http.get('/api/v1/reports/directorates/dgscgc').set(bearer(admin)).expect(400);
    });

    it('lists activations with their figures, real crises and exercises apart', async () => {
      const category = await isolatedCategory(t);
      const drill: Responder = await responder(t, actors.directorate, null, { category });
      const exerciseId = await answeredActivation(drill, category, true);
      const list = async (query: Record<string, string>) =>
        (await t.http.get('/api/v1/reports/activations').query({ pageSize: '200', ...query }).set(bearer(actors.operator.token)).expect(200)).body;

      const all = await list({});
      const real = all.items.find((item: { activationId: string }) => item.activationId === activationId);
      expect(real).toMatchObject({ exercise: false, requests: 1, accepted: 1, declined: 0, declineRate: 0, committedAckMinutes: 45, ackOnTime: 1 });
      expect(all.items.find((item: { activationId: string }) => item.activationId === exerciseId)).toMatchObject({ exercise: true, requests: 1 });

      const realOnly = await list({ exercise: 'false' });
      expect(realOnly.items.every((item: { exercise: boolean }) => !item.exercise)).toBe(true);
      expect(realOnly.items.map((item: { activationId: string }) => item.activationId)).toContain(activationId);
      const exercisesOnly = await list({ exercise: 'true' });
      expect(exercisesOnly.items.map((item: { activationId: string }) => item.activationId)).toEqual(expect.arrayContaining([exerciseId]));
      expect(exercisesOnly.items.map((item: { activationId: string }) => item.activationId)).not.toContain(activationId);
      expect(realOnly.total + exercisesOnly.total).toBe(all.total);

      // An activation that asked nothing yet is listed with zero requests.
      const pending = await preparedActivation(t, actors, [{ category: await isolatedCategory(t), quantity: 1 }]);
      expect((await list({})).items.find((item: { activationId: string }) => item.activationId === pending.activationId)).toMatchObject({
        requests: 0, status: 'PENDING_AUTHORIZATION', declineRate: null, committedAckMinutes: null,
      });

      await t.http.get('/api/v1/reports/activations').query({ exercise: 'maybe' }).set(bearer(admin)).expect(400);
    });
  });

  describe('users', () => {
    it("tells the ADMIN whether each user's second factor is enrolled", async () => {
      const user: SignedInUser = await t.signedInUser('CRISIS_OPERATOR');
      const view = (await t.http.get(`/api/v1/users/${user.id}`).set(bearer(admin)).expect(200)).body;
      expect(view).toMatchObject({ id: user.id, email: user.email, mfaEnrolled: false });
      expect(view).not.toHaveProperty('lastSignedInAt');

      const { secret } = (await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(user.token)).expect(200)).body;
      // Enrolled only once a first code confirms it.
      expect((await t.http.get(`/api/v1/users/${user.id}`).set(bearer(admin)).expect(200)).body.mfaEnrolled).toBe(false);
      await t.http.post('/api/v1/users/me/mfa/totp/confirm').set(bearer(user.token)).send({ code: await generate({ secret }) }).expect(200);

      expect((await t.http.get(`/api/v1/users/${user.id}`).set(bearer(admin)).expect(200)).body.mfaEnrolled).toBe(true);
      const page = (await t.http.get('/api/v1/users').query({ role: 'CRISIS_OPERATOR', pageSize: 200 }).set(bearer(admin)).expect(200)).body;
      expect(page.items.find((item: { id: string }) => item.id === user.id).mfaEnrolled).toBe(true);
      expect(page.items.every((item: { mfaEnrolled: unknown }) => typeof item.mfaEnrolled === 'boolean')).toBe(true);

      await t.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(bearer(admin)).expect(404);
      await t.http.get(`/api/v1/users/${user.id}`).set(bearer(actors.operator.token)).expect(403);
    });
  });
});
