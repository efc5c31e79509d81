import { randomInt } from 'node:crypto';
import { ChannelOutbox } from '../src/channels/delivery/channel-outbox.js';
import { SYSTEM_ACTOR } from '../src/common/auth/role.js';
import { FixedClock } from '../src/common/time/clock.js';
import { memberWithUser, type MemberFixture } from './support/fixtures.js';
import { MailServer } from './support/mail-server.js';
import { SmsCentre } from './support/sms-centre.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

describe('Email and SMS channels, and verified contact methods', () => {
  let t: TestApp;
  let mail: MailServer;
  let centre: SmsCentre;
  let owner: MemberFixture;
  let admin: string;
  const clock = new FixedClock(new Date());
  let order = 0;

  beforeAll(async () => {
    mail = await MailServer.start();
    centre = await SmsCentre.start('renfort', 'secret12');
    t = await TestApp.start({
      clock,
      env: {
        SMTP_URL: mail.url,
        SMTP_FROM: 'Renfort <alertes@renfort.test>',
        SMPP_URL: centre.url,
        SMPP_SYSTEM_ID: 'renfort',
        SMPP_PASSWORD: 'secret12',
        SMPP_SOURCE_ADDRESS: 'Renfort',
        CHANNEL_BACKOFF_MS: '50',
        SMPP_ENQUIRE_LINK_SECONDS: '1',
      },
    });
    admin = await t.adminToken();
    owner = await memberWithUser(t);
  });
  afterAll(async () => {
    await t.close();
    await centre.close();
    await mail.close();
  });

  const contactsUrl = `/api/v1/members/:id/contacts`;
  const url = (path: string) => contactsUrl.replace(':id', owner.member.id) + path;

  async function newContact(): Promise<{ id: string; email: string; phone: string }> {
    order += 1;
    const phone = `+336${String(randomInt(10_000_000, 99_999_999))}`;
    const email = `astreinte.${randomInt(1e9)}@azur-drones.test`;
    const created = await t.http
      .post(url(''))
      .set(bearer(owner.user.token))
      .send({ name: 'Julien Lefèvre', role: 'DUTY_OFFICER', phone, email, escalationOrder: order, available24x7: true })
      .expect(201);
    expect(created.body.methods).toMatchObject({ email: { address: email, verified: false, lastDelivery: null }, sms: { address: phone, verified: false } });
    return { id: created.body.id, email, phone };
  }

  const verify = (contactId: string, method: string) => t.http.post(url(`/${contactId}/verify`)).set(bearer(owner.user.token)).send({ method });
  const confirm = (contactId: string, method: string, code: string) =>
    t.http.post(url(`/${contactId}/verify/confirm`)).set(bearer(owner.user.token)).send({ method, code });
  const sendTest = (contactId: string, method: string) => t.http.post(url(`/${contactId}/test`)).set(bearer(owner.user.token)).send({ method });
  const methodsOf = async (contactId: string) => {
    const list = await t.http.get(url('')).set(bearer(owner.user.token)).expect(200);
    return list.body.find((contact: { id: string }) => contact.id === contactId).methods;
  };
  const deliveryStatus = async (id: string) => (await t.db.query(`SELECT status FROM channel_delivery WHERE id = $1`, [id]))[0]?.status as string;

  const emailCode = async (address: string, count = 1) => {
    const messages = await eventually(async () => mail.to(address).length >= count && mail.to(address));
    return /\b(\d{6})\b/.exec(messages[count - 1].text ?? '')![1];
  };
  const smsCode = async (phone: string, count = 1) => {
    const texts = await eventually(async () => centre.textsTo(phone).length >= count && centre.textsTo(phone));
    return /\b(\d{6})\b/.exec(texts[count - 1])![1];
  };

  it('verifies an email end to end: a code in French by SMTP, kept hashed, confirms the method', async () => {
    const contact = await newContact();
    const asked = await verify(contact.id, 'email').expect(200);
    expect(asked.body).toMatchObject({ contactId: contact.id, method: 'email', address: contact.email, delivery: { status: 'queued' } });

    const code = await emailCode(contact.email);
    const [message] = mail.to(contact.email);
    expect(message.subject).toBe('Renfort : votre code de vérification');
    expect(message.from?.value[0].address).toBe('alertes@renfort.test');
    expect(message.text).toContain('Il expire dans 15 minutes');
    expect(message.messageId).toBe(`<${asked.body.delivery.id}@renfort>`);
    // At rest: the code's keyed hash on the method; the message keeps a placeholder once sent.
    await eventually(async () => (await deliveryStatus(asked.body.delivery.id)) === 'sent');
    const [stored] = await t.db.query(`SELECT code_hash FROM contact_method WHERE contact_id = $1 AND method = 'email'`, [contact.id]);
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.code_hash).not.toContain(code);
    const [delivery] = await t.db.query(`SELECT body, secret FROM channel_delivery WHERE id = $1`, [asked.body.delivery.id]);
    expect(delivery).toMatchObject({ secret: null });
    expect(delivery.body).not.toContain(code);

    const confirmed = await confirm(contact.id, 'email', code).expect(200);
    expect(confirmed.body).toMatchObject({ method: 'email', verified: true, verifiedAt: clock.now().toISOString() });
    const methods = await methodsOf(contact.id);
    expect(methods.email).toMatchObject({ verified: true, verifiedAt: clock.now().toISOString(), lastDelivery: { purpose: 'verification', status: 'sent' } });
    expect(methods.sms).toMatchObject({ verified: false, verifiedAt: null, lastDelivery: null });

    const events = await t.http.get('/api/v1/audit/events').query({ aggregateId: contact.id }).set(bearer(admin)).expect(200);
    expect(events.body.items.map((event: { type: string }) => event.type)).toEqual(expect.arrayContaining(['ContactVerificationRequested', 'ContactMethodVerified']));
    expect(JSON.stringify(events.body.items)).not.toContain(code);
  });

  it('verifies a phone by SMS end to end, asks for a delivery receipt, and the receipt marks the message delivered', async () => {
    const contact = await newContact();
    const asked = await verify(contact.id, 'sms').expect(200);
    const code = await smsCode(contact.phone);
    const [sms] = centre.received.filter((s) => s.destination === contact.phone.slice(1));
    expect(sms).toMatchObject({ source: 'Renfort', dataCoding: 0, registeredDelivery: 1, concatenation: null });
    expect(sms.text).toBe(`Renfort : votre code de vérification est ${code}. Il expire dans 15 minutes. Ne le communiquez à personne.`);

    await eventually(async () => (await deliveryStatus(asked.body.delivery.id)) === 'sent');
    await confirm(contact.id, 'sms', code).expect(200);
    expect((await methodsOf(contact.id)).sms).toMatchObject({ verified: true, lastDelivery: { status: 'sent', deliveredAt: null } });

    expect(await centre.sendReceipt(sms.messageId)).toBe(0);
    await eventually(async () => (await deliveryStatus(asked.body.delivery.id)) === 'delivered');
    expect((await methodsOf(contact.id)).sms.lastDelivery).toMatchObject({ status: 'delivered', deliveredAt: clock.now().toISOString() });
  });

  it('refuses a wrong code naming the attempts left, answers 429 after five, and a new code a minute later works', async () => {
    const contact = await newContact();
    await verify(contact.id, 'sms').expect(200);
    const code = await smsCode(contact.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (const left of [4, 3, 2, 1, 0]) {
      const refused = await confirm(contact.id, 'sms', wrong).expect(400);
      expect(refused.body).toMatchObject({ code: 'CONTACT.CODE_INVALID' });
      expect(refused.body.message).toContain(left > 0 ? `${left} attempt` : 'no attempt left');
    }
    const blocked = await confirm(contact.id, 'sms', code).expect(429);
    expect(blocked.body.code).toBe('CONTACT.TOO_MANY_ATTEMPTS');

    // A new code at once would let anyone flood a phone: one a minute.
    expect((await verify(contact.id, 'sms').expect(429)).body.code).toBe('CONTACT.TOO_MANY_ATTEMPTS');
    clock.advance(61_000);
    await verify(contact.id, 'sms').expect(200);
    const second = await smsCode(contact.phone, 2);
    await confirm(contact.id, 'sms', second).expect(200);
  });

  it('refuses an expired code, and a code when none was asked for', async () => {
    const contact = await newContact();
    expect((await confirm(contact.id, 'email', '123456').expect(400)).body.code).toBe('CONTACT.CODE_INVALID');
    await verify(contact.id, 'email').expect(200);
    const code = await emailCode(contact.email);
    clock.advance(15 * 60_000 + 1000);
    const expired = await confirm(contact.id, 'email', code).expect(400);
    expect(expired.body).toMatchObject({ code: 'CONTACT.CODE_EXPIRED' });
    expect((await methodsOf(contact.id)).email.verified).toBe(false);
  });

  it('refuses a malformed method or code with a 400 naming the field', async () => {
    const contact = await newContact();
    const badMethod = await verify(contact.id, 'fax').expect(400);
    expect(badMethod.body.details.map((d: { field: string }) => d.field)).toEqual(['method']);
    const badCode = await confirm(contact.id, 'email', '12ab56').expect(400);
    expect(badCode.body.details.map((d: { field: string }) => d.field)).toEqual(['code']);
  });

  it('sends a test alert only through a verified method, and a changed email must be verified again', async () => {
    const contact = await newContact();
    expect((await sendTest(contact.id, 'email').expect(409)).body.code).toBe('CONTACT.METHOD_NOT_VERIFIED');
    await verify(contact.id, 'email').expect(200);
    await confirm(contact.id, 'email', await emailCode(contact.email)).expect(200);

    const sent = await sendTest(contact.id, 'email').expect(200);
    expect(sent.body).toMatchObject({ method: 'email', address: contact.email, delivery: { status: 'queued' } });
    const messages = await eventually(async () => mail.to(contact.email).length === 2 && mail.to(contact.email));
    expect(messages[1].subject).toBe('Renfort : alerte de test');
    expect(messages[1].text).toContain('Aucune action');
    await eventually(async () => (await methodsOf(contact.id)).email.lastDelivery?.status === 'sent' && true);
    expect((await methodsOf(contact.id)).email.lastDelivery).toMatchObject({ purpose: 'test', status: 'sent' });

    const changed = await t.http.patch(url(`/${contact.id}`)).set(bearer(owner.user.token)).send({ email: `nouvelle.${contact.email}` }).expect(200);
    expect(changed.body.methods.email).toMatchObject({ address: `nouvelle.${contact.email}`, verified: false, verifiedAt: null });
    expect((await sendTest(contact.id, 'email').expect(409)).body.code).toBe('CONTACT.METHOD_NOT_VERIFIED');

    const events = await t.http.get('/api/v1/audit/events').query({ aggregateId: contact.id, type: 'ContactTestAlertSent' }).set(bearer(admin)).expect(200);
    expect(events.body.items).toHaveLength(1);
  });

  it('carries an SMS with accents beyond GSM, longer than 70 characters, whole in UCS-2 parts; a long GSM text in GSM-7 parts', async () => {
    const phone = `+337${String(randomInt(10_000_000, 99_999_999))}`;
    const french =
      'Mobilisation : la préfecture des Alpes-Maritimes demande deux drones à caméra thermique pour la crue de la Vésubie ; ' +
      'leçon retenue de 2020, la fenêtre météo est brève. Répondez avant 18 h 30, sinon l’alerte passe au correspondant suivant.';
    const gsm = `Alerte Renfort : ${'demande de moyens à confirmer, '.repeat(8)}fin.`;
    const queue = (body: string) =>
      t.db.transaction((manager) =>
        t.get(ChannelOutbox).queue(manager, SYSTEM_ACTOR, { channel: 'sms', recipient: phone, purpose: 'alert', contactId: null, subject: null, body }, clock.now()),
      );
    const first = await queue(french);
    await eventually(async () => centre.textsTo(phone).length === 1);
    const second = await queue(gsm);
    const texts = await eventually(async () => centre.textsTo(phone).length === 2 && centre.textsTo(phone));
    expect(texts).toEqual([french, gsm]);

    const parts = centre.received.filter((s) => s.destination === phone.slice(1));
    const ucs2 = parts.filter((s) => s.dataCoding === 8);
    const gsm7 = parts.filter((s) => s.dataCoding === 0);
    expect(ucs2.length).toBe(Math.ceil([...french].length / 67));
    expect(gsm7.length).toBe(Math.ceil(gsm.length / 153));
    expect(new Set(ucs2.map((s) => s.concatenation!.reference)).size).toBe(1);
    expect(ucs2.map((s) => s.concatenation!.sequence)).toEqual(ucs2.map((_, i) => i + 1));

    // Delivered once every part is: one receipt is not enough.
    await eventually(async () => (await deliveryStatus(first.id)) === 'sent' && (await deliveryStatus(second.id)) === 'sent');
    const [row] = await t.db.query(`SELECT provider_message_ids FROM channel_delivery WHERE id = $1`, [first.id]);
    expect(row.provider_message_ids).toEqual(ucs2.map((s) => s.messageId));
    await centre.sendReceipt(ucs2[0].messageId);
    expect(await deliveryStatus(first.id)).toBe('sent');
    for (const part of ucs2.slice(1)) await centre.sendReceipt(part.messageId);
    await eventually(async () => (await deliveryStatus(first.id)) === 'delivered');
  });

  it('retries a mail server that refuses (550) with backoff, and one message arrives in the end', async () => {
    const contact = await newContact();
    const refusedBefore = mail.refusals;
    mail.refuse(2);
    const asked = await verify(contact.id, 'email').expect(200);
    await eventually(async () => (await deliveryStatus(asked.body.delivery.id)) === 'sent');
    expect(mail.refusals - refusedBefore).toBe(2);
    const [row] = await t.db.query(`SELECT attempts, error FROM channel_delivery WHERE id = $1`, [asked.body.delivery.id]);
    expect(row).toMatchObject({ attempts: 3, error: null });
    // Given time for any stray retry, there is still one message.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(contact.email)).toHaveLength(1);
  });

  it('binds again when the SMPP link drops while sending: the message arrives, once', async () => {
    const contact = await newContact();
    const bindsBefore = centre.binds.length;
    centre.dropOnNextSubmit(1);
    const asked = await verify(contact.id, 'sms').expect(200);
    await eventually(async () => (await deliveryStatus(asked.body.delivery.id)) === 'sent');
    expect(centre.dropped).toBeGreaterThanOrEqual(1);
    expect(centre.binds.length).toBeGreaterThan(bindsBefore);
    const [row] = await t.db.query(`SELECT attempts FROM channel_delivery WHERE id = $1`, [asked.body.delivery.id]);
    expect(row.attempts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(centre.textsTo(contact.phone)).toHaveLength(1);
    await confirm(contact.id, 'sms', await smsCode(contact.phone)).expect(200);
  });

  it('verifies a directorate contact by email, for the ADMIN', async () => {
    // The directorate is shared with other test files: the next free escalation order.
    const existing = await t.http.get('/api/v1/directorates/DGSCGC/contacts').set(bearer(admin)).expect(200);
    const next = Math.max(0, ...existing.body.map((c: { escalationOrder: number }) => c.escalationOrder)) + 1;
    const created = await t.http
      .post('/api/v1/directorates/DGSCGC/contacts')
      .set(bearer(admin))
      .send({ name: 'Commandant Anne Roussel', role: 'NATIONAL_CORRESPONDENT', phone: '+33140000000', email: `cogic.${randomInt(1e9)}@interieur.test`, escalationOrder: next, available24x7: true })
      .expect(201);
    const base = `/api/v1/directorates/DGSCGC/contacts/${created.body.id}`;
    await t.http.post(`${base}/verify`).set(bearer(admin)).send({ method: 'email' }).expect(200);
    const code = await emailCode(created.body.email);
    await t.http.post(`${base}/verify/confirm`).set(bearer(admin)).send({ method: 'email', code }).expect(200);
    const list = await t.http.get('/api/v1/directorates/DGSCGC/contacts').set(bearer(admin)).expect(200);
    expect(list.body.find((c: { id: string }) => c.id === created.body.id).methods.email.verified).toBe(true);
    // A member contact is not found under a directorate.
    const memberContact = await newContact();
    await t.http.post(`/api/v1/directorates/DGSCGC/contacts/${memberContact.id}/verify`).set(bearer(admin)).send({ method: 'email' }).expect(404);
  });

  it('keeps the SMPP link alive with enquire_link, and reports each configured channel on /health without failing it', async () => {
    await eventually(async () => centre.enquireLinks > 0);
    const health = await t.http.get('/health').expect(200);
    expect(health.body.details.channels).toMatchObject({ status: 'up', email: { configured: true, verified: true }, sms: { configured: true, bound: true } });
    expect(centre.binds.every((systemId) => systemId === 'renfort')).toBe(true);
  });

  it('sends through the queues on PostgreSQL in the embedded mode too', async () => {
    const embedded = await TestApp.start({
      env: { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: 'memory://', SMTP_URL: mail.url, SMTP_FROM: 'alertes@renfort.test', CHANNEL_BACKOFF_MS: '50' },
    });
    try {
      const member = await memberWithUser(embedded);
      const email = `embarque.${randomInt(1e9)}@azur-drones.test`;
      const contact = await embedded.http
        .post(`/api/v1/members/${member.member.id}/contacts`)
        .set(bearer(member.user.token))
        .send({ name: 'Claire Martin', role: 'DUTY_OFFICER', phone: '+33612345678', email, escalationOrder: 1, available24x7: true })
        .expect(201);
      const base = `/api/v1/members/${member.member.id}/contacts/${contact.body.id}`;
      await embedded.http.post(`${base}/verify`).set(bearer(member.user.token)).send({ method: 'email' }).expect(200);
      await embedded.http.post(`${base}/verify/confirm`).set(bearer(member.user.token)).send({ method: 'email', code: await emailCode(email) }).expect(200);
    } finally {
      await embedded.close();
    }
  }, 120_000); // The embedded database starts and migrates in the test: slower than the shared server.

  it('does not offer a channel that is not configured', async () => {
    const bare = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    try {
      const member = await memberWithUser(bare);
      const contact = await bare.http
        .post(`/api/v1/members/${member.member.id}/contacts`)
        .set(bearer(member.user.token))
        .send({ name: 'Claire Martin', role: 'DUTY_OFFICER', phone: '+33612345678', email: 'claire@azur-drones.test', escalationOrder: 1, available24x7: true })
        .expect(201);
      for (const method of ['email', 'sms']) {
        const refused = await bare.http.post(`/api/v1/members/${member.member.id}/contacts/${contact.body.id}/verify`).set(bearer(member.user.token)).send({ method }).expect(409);
        expect(refused.body).toMatchObject({ code: 'CHANNEL.NOT_CONFIGURED' });
        expect(refused.body.message).toContain(`The ${method} channel is not configured`);
      }
      const health = await bare.http.get('/health').expect(200);
      expect(health.body.details).not.toHaveProperty('channels');
    } finally {
      await bare.close();
    }
  });
});
