import { mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { renderReport } from '../demo/report-printer.js';
import { PeopleChannels } from '../demo/people-channels.js';
import { type DemoOptions, type DemoResult, runDemo } from '../demo/run.js';
import { parseCsv } from './support/csv.js';
import { bearer, TEST_ADMIN, TestApp } from './support/test-app.js';


/** A name as a pattern; the printed tables show a line break inside a name as a space. */
const literally = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the demo printed, as a terminal would have shown it. */
class Transcript extends Writable {
  text = '';

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('The demo (npm run demo) at a small scale, against the real service over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let options: DemoOptions;
  let transcript: Transcript;
  let first: DemoResult;
  let people: PeopleChannels;

  beforeAll(async () => {
    // The demo's own mail server and SMS centre, on free ports: the service sends its alerts there.
    people = await PeopleChannels.start(0, 0);
    t = await TestApp.start({ env: { ...people.serviceSettings, CHANNEL_BACKOFF_MS: '50', ALERT_GATHER_MS: '200' } });
    await t.app.listen(0, '127.0.0.1');
    admin = await t.adminToken();
    transcript = new Transcript();
    options = {
      baseUrl: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`,
      admin: TEST_ADMIN,
      members: 8,
      assets: 40,
      delayScale: 0.02,
      seed: 20170321,
      output: transcript,
      outputDir: await mkdtemp(path.join(tmpdir(), 'renfort-demo-')),
      progressIntervalMs: 500,
      people,
    };
    first = await runDemo(options);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await people?.close();
  });

  it('runs to its report: every request to a demo member answered, the exercise closed', async () => {
    expect(first.timedOut).toBe(false);
    expect(first.responders.problems).toEqual([]);
    expect(first.responders.badSignatures).toBe(0);
    expect(first.report.exercise).toBe(true);
    expect(first.report.status).toBe('CLOSED');
    expect(first.report.requestCount).toBeGreaterThan(0);
    expect(first.responders.requestsReceived).toBe(first.report.requestCount - first.outsideRequests);
    const crisis = await t.http.get(`/api/v1/crises/${first.crisisId}`).set(bearer(admin)).expect(200);
    expect(crisis.body).toMatchObject({ status: 'CLOSED', exercise: true });
  });

  it('shows alerts going out to people by email and SMS, answered from the message, and prints whom they reached', async () => {
    const outcome = first.people!;
    expect(outcome.verified).toBeGreaterThan(0);
    expect(outcome.reach.membersReached).toBeGreaterThan(0);
    expect(outcome.reach.membersReached).toBeLessThanOrEqual(outcome.reach.membersAlerted);
    expect(Object.keys(outcome.reach.messages).sort()).toEqual(['email', 'sms']);
    expect(outcome.answeredByLink + outcome.answeredBySms + outcome.alreadyAnswered).toBeGreaterThan(0);
    expect(transcript.text).toContain(`Alerts to people: ${outcome.reach.membersReached} of ${outcome.reach.membersAlerted} members alerted were reached by at least one person`);
    expect(transcript.text).toMatch(/answered from the message: \d+ by the email's link, \d+ by SMS code/);
    expect(people.emails.some((mail) => /^(\[EXERCICE\] )?Renfort : mobilisation, crise /.test(mail.subject ?? ''))).toBe(true);
  });

  it('prints the report that GET /activations/:id/report gives for the same activation', async () => {
    const fresh = await t.http.get(`/api/v1/activations/${first.activationId}/report`).set(bearer(admin)).expect(200);
    expect(first.report).toEqual(fresh.body);
    expect(first.printedReport).toBe(renderReport(fresh.body, first.csvPath));
    expect(transcript.text).toContain(first.printedReport);

    const printed = first.printedReport;
    expect(printed).toContain(`requests     ${fresh.body.requestCount} to ${fresh.body.byMember.length} members`);
    for (const [status, count] of Object.entries(fresh.body.countsByStatus)) expect(printed).toMatch(new RegExp(`\\n${status} +${count}\\n`));
    const conformance = (row: Record<string, number>) =>
      [row.requests, row.accepted, row.declined, row.escalated, row.ackOnTime, row.ackLate, row.ackMissed, row.deployOnTime, row.deployLate, row.deployMissed].join(' +');
    expect(printed).toMatch(new RegExp(`\\nall +${conformance(fresh.body.conformance)}\\n`));
    for (const member of fresh.body.byMember) expect(printed).toMatch(new RegExp(`\\n${literally(member.memberName)} +${conformance(member)}\\n`));
    for (const requirement of fresh.body.requirements) {
      expect(printed).toMatch(new RegExp(`\\n${requirement.position} +${requirement.category} +${requirement.quantity} +${requirement.acceptedQuantity} `));
    }
  });

  it('saves the CSV of the report, one row per member, with every request counted', async () => {
    const saved = await readFile(first.csvPath, 'utf8');
    const served = await t.http.get(`/api/v1/activations/${first.activationId}/report?format=csv`).set(bearer(admin)).expect(200);
    expect(saved).toBe(served.text);
    const [header, ...rows] = parseCsv(saved);
    expect(header.slice(0, 3)).toEqual(['memberId', 'memberName', 'requests']);
    expect(rows.map((row) => row[0])).toEqual(first.report.byMember.map((member) => member.memberId));
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(first.report.requestCount);
    expect(transcript.text).toContain(`CSV (one row per member): ${first.csvPath}`);
  });

  it('seeds idempotently: a second run reuses every member, user, asset and convention, and opens a fresh exercise', async () => {
    const membersBefore = (await t.http.get('/api/v1/members').set(bearer(admin)).expect(200)).body.total;
    const second = await runDemo(options);
    const membersAfter = (await t.http.get('/api/v1/members').set(bearer(admin)).expect(200)).body.total;

    expect(membersAfter).toBe(membersBefore);
    expect(second.seeding.members).toEqual({ created: 0, reused: 8 });
    expect(second.seeding.users.created).toBe(0);
    expect(second.seeding.contacts.created).toBe(0);
    expect(second.seeding.assets).toMatchObject({ created: 0, reused: 40 });
    expect(second.seeding.conventions).toMatchObject({ created: 0, amended: 0 });
    expect(second.crisisId).not.toBe(first.crisisId);
    expect(second.activationId).not.toBe(first.activationId);
    expect(second.timedOut).toBe(false);
    // The first exercise released every asset it engaged: the second one asks for them again.
    expect(second.report.requestCount).toBe(first.report.requestCount);
  }, 120_000);
});
