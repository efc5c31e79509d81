import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { FixedClock } from '../src/common/time/clock.js';
import { encodeSms } from '../src/channels/sms/sms-encoding.js';
import { NotificationSweeper } from '../src/crisis/notifications/notification-sweeper.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { MailServer } from './support/mail-server.js';
import { SmsCentre } from './support/sms-centre.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Alerts to the people of the escalation chain, answered from the message', () => {
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let mail: MailServer;
  let centre: SmsCentre;
  let actors: CrisisActors;
  let browser: Browser;
  let base: string;
  let admin: string;
  let calls: ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    mail = await MailServer.start();
    centre = await SmsCentre.start('renfort', 'secret12');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await TestApp.start({
      clock,
      env: {
        SMTP_URL: mail.url, SMTP_FROM: 'Renfort <alertes@renfort.test>',
        SMPP_URL: centre.url, SMPP_SYSTEM_ID: 'renfort', SMPP_PASSWORD: 'secret12', SMPP_SOURCE_ADDRESS: 'Renfort',
        CHANNEL_BACKOFF_MS: '50', SMPP_ENQUIRE_LINK_SECONDS: '1', PUBLIC_URL: base, ALERT_GATHER_MS: '300',
      },
    });
    await t.app.listen(port, '127.0.0.1');
    actors = await crisisActors(t);
    admin = await t.adminToken();
    calls = crisisCalls(t, actors);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await centre.close();
    await mail.close();
  });

  /** A member without webhook, its contacts with their own addresses, their methods verified. */
  async function member(category: string, assets: number): Promise<Responder & { people: { id: string; email: string; phone: string }[] }> {
    const fixture = await responder(t, actors.directorate, null, { category, assets, contacts: 2 });
    const people = [];
    for (const contactId of fixture.contactIds) {
      const phone = `+337${randomInt(10_000_000, 99_999_999)}`;
      const email = `astreinte.${randomInt(1e9)}@membre.test`;
      await t.db.query(`UPDATE contact SET phone = $2, email = $3 WHERE id = $1`, [contactId, phone, email]);
      await t.db.query(
        `INSERT INTO contact_method (contact_id, method, address, verified_at) VALUES ($1, 'email', $2, now()), ($1, 'sms', $3, now())`,
        [contactId, email, phone],
      );
      people.push({ id: contactId, email, phone });
    }
    // The chain was taken when... the requests are created: it reads the contacts as they are now.
    return { ...fixture, people };
  }

  const statusOf = async (requestId: string) => (await t.db.query(`SELECT status FROM mobilization_request WHERE id = $1`, [requestId]))[0].status as string;
  const linksIn = (text: string) => [...text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/api\/v1\/answers\/\S+/g)].map((m) => m[0]);

  it('alerts the first person once for all its requests, in French, answered by the link page in a browser and by SMS', async () => {
    const category = await isolatedCategory(t);
    const owner = await member(category, 2);
    const [first, second] = owner.people;
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }], { title: 'Crues du Var' });
    await calls.authorize(activationId).expect(200);

    const [email] = await eventually(async () => mail.to(first.email).length > 0 && mail.to(first.email));
    const [sms] = await eventually(async () => centre.textsTo(first.phone).length > 0 && centre.textsTo(first.phone));
    const requests = await calls.requestsOf(owner.user.token, activationId);
    expect(requests).toHaveLength(2);

    // One email and one SMS, listing both requests; nobody else of the chain yet.
    expect(email.subject).toBe('Renfort : mobilisation, crise Crues du Var (2 demandes)');
    expect(email.text).toContain('Bonjour Contact 1,');
    expect(email.text).toContain('Drone 1');
    expect(email.text).toContain('Drone 2');
    expect(email.text).toContain('Lieu : départements 06, 83.');
    expect(email.text).toMatch(/Accusez réception avant le \d\d\/\d\d à \d\dh\d\d/);
    const links = linksIn(email.text!);
    expect(links).toHaveLength(6);
    const code = /OK (\d{4})/.exec(sms)![1];
    expect(sms).toBe(sms.normalize('NFC'));
    expect(sms).toMatch(new RegExp(`^Renfort: crise Crues du Var \\(06,83\\)\\. Demandé: 2 moyens\\. Accusez réception avant \\d\\dh\\d\\d: OK ${code}\\. Accepter: OUI ${code}\\. Refuser: NON ${code} motif$`));
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(encodeSms(sms).encoding).toBe('GSM');
    expect(centre.received.filter((s) => s.destination === first.phone.slice(1))).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(first.email)).toHaveLength(1);
    expect(mail.to(second.email)).toHaveLength(0);
    expect(centre.textsTo(second.phone)).toHaveLength(0);
    // At rest, the messages keep no usable link.
    const stored = await t.db.query(`SELECT body FROM channel_delivery WHERE alert_id IS NOT NULL AND contact_id = $1`, [first.id]);
    expect(stored.map((row: { body: string }) => row.body).join('\n')).not.toContain('/api/v1/answers/');

    // Each message's status per method, on the request and summed on the activation.
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM channel_delivery WHERE contact_id = $1 AND status = 'sent'`, [first.id]))[0].n === 2);
    const shown = await t.http.get(`/api/v1/mobilizations/${requests[0].id}`).set(bearer(owner.user.token)).expect(200);
    expect(shown.body.alerts).toEqual([expect.objectContaining({ level: 0, contactId: first.id, contactName: 'Contact 1', methods: [
      expect.objectContaining({ channel: 'email', status: 'sent' }), expect.objectContaining({ channel: 'sms', status: 'sent' }),
    ] })]);
    expect((await calls.progress(activationId)).reach).toEqual({
      membersAlerted: 1, membersReached: 1, peopleAlerted: 1, peopleReached: 1, messages: { email: { sent: 1 }, sms: { sent: 1 } },
    });
    const report = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(admin)).expect(200);
    expect(report.body.timeToReachPerson).toEqual({ count: 1, p50Seconds: 0, p90Seconds: 0, maxSeconds: 0 });

    // The acknowledge link of the first request: a page asking for confirmation; its GET changed nothing.
    const acknowledge = links[0];
    const requestId = (await t.db.query(`SELECT request_id FROM contact_alert_request x JOIN contact_alert a ON a.id = x.alert_id
      WHERE a.contact_id = $1 ORDER BY x.position LIMIT 1`, [first.id]))[0].request_id as string;
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(5000);
    await page.goto(acknowledge);
    await page.getByRole('heading', { name: 'Accuser réception de la demande' }).waitFor();
    expect(await statusOf(requestId)).not.toBe('ACKNOWLEDGED');
    await page.getByRole('button', { name: 'Confirmer l’accusé de réception' }).click();
    await page.getByRole('heading', { name: 'Accusé de réception enregistré' }).waitFor();
    expect(await statusOf(requestId)).toBe('ACKNOWLEDGED');
    // Spent: the link says so plainly, and changes nothing.
    await page.goto(acknowledge);
    await page.getByRole('heading', { name: 'Lien déjà utilisé' }).waitFor();
    const again = await t.http.post(new URL(acknowledge).pathname).set('accept', 'text/html').type('form').send({}).expect(409);
    expect(again.text).toContain('Lien déjà utilisé');
    // A client that is no browser gets the API's error shape.
    const spent = await t.http.post(new URL(acknowledge).pathname).send({}).expect(409);
    expect(spent.body).toMatchObject({ code: 'ANSWER.LINK_USED' });
    // A forged link.
    const forged = await t.http.get(`${new URL(acknowledge).pathname.slice(0, -3)}abc`).set('accept', 'text/html').expect(404);
    expect(forged.text).toContain('Lien non valide');
    expect(forged.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await t.http.get(`${new URL(acknowledge).pathname.slice(0, -3)}abc`).expect(404)).body).toMatchObject({ code: 'ANSWER.LINK_INVALID' });

    // A number that is not the alerted person's: a clear answer, nothing changes.
    const stranger = `+337${randomInt(10_000_000, 99_999_999)}`;
    expect(await centre.sendFromPhone(stranger, `OUI ${code}`)).toBe(0);
    const [refusal] = await eventually(async () => centre.textsTo(stranger).length > 0 && centre.textsTo(stranger));
    expect(refusal).toContain(`le code ${code} ne correspond à aucune alerte envoyée à ce numéro`);
    expect((await calls.requestsOf(owner.user.token, activationId)).map((r: { status: string }) => r.status)).not.toContain('ACCEPTED');

    // The alerted person accepts by SMS: the code answers every request of the alert.
    expect(await centre.sendFromPhone(first.phone, `oui ${code}`)).toBe(0);
    await eventually(async () => (await calls.requestsOf(owner.user.token, activationId)).every((r: { status: string }) => r.status === 'ACCEPTED'));
    const confirmation = await eventually(async () => centre.textsTo(first.phone).length > 1 && centre.textsTo(first.phone)[1]);
    expect(confirmation).toBe('Renfort: acceptation enregistrée pour 2 demandes (crise Crues du Var). Merci.');

    // Recorded like any other answer, with the channel and the contact who gave it.
    const events = (await t.http.get('/api/v1/audit/events').query({ type: 'MobilizationRequestAnsweredByMessage', pageSize: 200 }).set(bearer(admin)).expect(200))
      .body.items.filter((e: { payload: { activationId: string } }) => e.payload.activationId === activationId);
    expect(events.map((e: { payload: Record<string, unknown> }) => [e.payload.response, e.payload.channel, e.payload.contactRank]).sort()).toEqual([
      ['accept', 'sms', 1], ['accept', 'sms', 1], ['acknowledge', 'email', 1],
    ]);
    const accepted = (await t.http.get('/api/v1/audit/events').query({ aggregateId: requestId, pageSize: 50 }).set(bearer(admin)).expect(200)).body.items;
    expect(accepted.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['MobilizationRequestAcknowledged', 'MobilizationRequestAccepted']));
  });

  it('flags on the contact a method whose messages keep failing, until one leaves again', async () => {
    const category = await isolatedCategory(t);
    const owner = await member(category, 1);
    const [person] = owner.people;
    const failed = (n: number) => t.db.query(
      `INSERT INTO channel_delivery (id, channel, recipient, purpose, contact_id, body, status, attempts, error, queued_at, failed_at)
       SELECT gen_random_uuid(), 'sms', $2, 'alert', $1, 'x', 'failed', 8, 'The SMS centre refused submit_sm (status 0xb)', now(), now() FROM generate_series(1, $3)`,
      [person.id, person.phone, n],
    );
    const smsOf = async () => (await t.http.get(`/api/v1/members/${owner.member.id}/contacts`).set(bearer(owner.user.token)).expect(200))
      .body.find((contact: { id: string }) => contact.id === person.id).methods.sms;
    await failed(2);
    expect(await smsOf()).toMatchObject({ consecutiveFailures: 2, failing: false });
    await failed(1);
    expect(await smsOf()).toMatchObject({ consecutiveFailures: 3, failing: true });
    await t.db.query(
      `INSERT INTO channel_delivery (id, channel, recipient, purpose, contact_id, body, status, attempts, queued_at, sent_at)
       VALUES (gen_random_uuid(), 'sms', $2, 'test', $1, 'x', 'sent', 1, now(), now())`,
      [person.id, person.phone],
    );
    expect(await smsOf()).toMatchObject({ consecutiveFailures: 0, failing: false });
  });

  it('alerts the next person once when the requests escalate, listing them all, and a decline link asks for a reason', async () => {
    const category = await isolatedCategory(t);
    const owner = await member(category, 2);
    const [first, second] = owner.people;
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }], { title: 'Incendie de Fréjus' });
    await calls.authorize(activationId).expect(200);
    await eventually(async () => mail.to(first.email).length > 0);
    await eventually(async () => (await calls.requestsOf(owner.user.token, activationId)).every((r: { ackDeadline: string | null }) => r.ackDeadline));

    clock.advance(31 * 60_000);
    await t.get(NotificationSweeper).sweep();
    const [email] = await eventually(async () => mail.to(second.email).length > 0 && mail.to(second.email));
    const [sms] = await eventually(async () => centre.textsTo(second.phone).length > 0 && centre.textsTo(second.phone));
    expect(email.text).toContain('Drone 1');
    expect(email.text).toContain('Drone 2');
    // A title with a character outside the GSM alphabet? "Fréjus" has none: one GSM message still.
    expect(sms).toContain('Incendie de Fréjus');
    expect(encodeSms(sms).parts).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mail.to(second.email)).toHaveLength(1);
    expect(centre.textsTo(second.phone)).toHaveLength(1);
    expect(mail.to(first.email)).toHaveLength(1);

    const decline = linksIn(email.text!)[2];
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(5000);
    await page.goto(decline);
    await page.getByLabel('Motif du refus').selectOption('NOT_AVAILABLE');
    await page.getByLabel('Précision (facultatif)').fill('En maintenance');
    await page.getByRole('button', { name: 'Confirmer le refus' }).click();
    await page.getByRole('heading', { name: 'Refus enregistré' }).waitFor();
    const declined = (await calls.requestsOf(owner.user.token, activationId)).find((r: { status: string }) => r.status === 'DECLINED');
    expect(declined).toMatchObject({ declineReasonCode: 'NOT_AVAILABLE', declineComment: 'En maintenance' });
    const [event] = (await t.http.get('/api/v1/audit/events').query({ aggregateId: declined.id, type: 'MobilizationRequestAnsweredByMessage' }).set(bearer(admin)).expect(200)).body.items;
    expect(event.payload).toMatchObject({ channel: 'email', contactId: second.id, contactRank: 2, response: 'decline' });
    const report = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(admin)).expect(200);
    expect(report.body.answeredByMessage).toEqual([{ channel: 'email', contactRank: 2, response: 'decline', count: 1 }]);
    const timeline = (await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ pageSize: 200 }).set(bearer(admin)).expect(200)).body.items;
    expect(timeline.map((item: { answeredBy?: string }) => item.answeredBy).filter(Boolean)).toEqual(['answered by email link by contact n°2 (Contact 2)']);
  });
});
