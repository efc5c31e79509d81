import { randomInt } from 'node:crypto';
import { FixedClock } from '../src/common/time/clock.js';
import { activate, conventionBody } from './support/conventions.js';
import { droneAsset, memberWithUser } from './support/fixtures.js';
import { MailServer } from './support/mail-server.js';
import { bearer, eventually, type SignedInUser, TestApp } from './support/test-app.js';

describe('Convention notices emailed to both parties\' correspondents', () => {
  const clock = new FixedClock(new Date('2026-03-02T10:00:00Z'));
  let t: TestApp;
  let mail: MailServer;
  let admin: string;
  let dgscgc: SignedInUser;

  beforeAll(async () => {
    mail = await MailServer.start();
    t = await TestApp.start({ clock, env: { SMTP_URL: mail.url, SMTP_FROM: 'Renfort <alertes@renfort.test>', CHANNEL_BACKOFF_MS: '50' } });
    admin = await t.adminToken();
    dgscgc = await t.signedInUser('DIRECTORATE', { directorateCode: 'DGSCGC' });
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  const runCalendar = () => t.http.post('/api/v1/conventions/calendar/run').set(bearer(admin)).expect(200);

  async function verified(contactId: string, email: string): Promise<void> {
    await t.db.query(`INSERT INTO contact_method (contact_id, method, address, verified_at) VALUES ($1, 'email', $2, now())`, [contactId, email]);
  }

  it('emails the review reminder and the expiry to the contacts the convention names on both sides, verified only, once each', async () => {
    const fixture = await memberWithUser(t);
    const email = (who: string) => `${who}.${randomInt(1e9)}@notices.test`;
    const named = email('correspondant');
    const unverified = email('non-verifie');
    const contact = async (address: string, order: number) => (await t.http.post(`/api/v1/members/${fixture.member.id}/contacts`).set(bearer(fixture.user.token))
      .send({ name: 'Julie Caron', role: 'NATIONAL_CORRESPONDENT', phone: '+33612345670', email: address, escalationOrder: order, available24x7: false }).expect(201)).body.id as string;
    const memberContact = await contact(named, 1);
    const otherContact = await contact(unverified, 2);
    await verified(memberContact, named);
    const directorateEmail = email('dgscgc');
    const [{ next }] = await t.db.query(`SELECT coalesce(max(escalation_order), 0) + 1 AS next FROM contact WHERE directorate_code = 'DGSCGC'`);
    const directorateContact = (await t.http.post('/api/v1/directorates/DGSCGC/contacts').set(bearer(admin))
      .send({ name: 'Marc Olivier', role: 'NATIONAL_CORRESPONDENT', phone: '+33612340001', email: directorateEmail, escalationOrder: next, available24x7: true }).expect(201)).body.id;
    await verified(directorateContact, directorateEmail);
    const asset = await t.http.post('/api/v1/assets').set(bearer(fixture.user.token)).send(droneAsset()).expect(201);
    const convention = await t.http.post('/api/v1/conventions').set(bearer(dgscgc.token))
      .send(conventionBody(fixture.member.id, [asset.body.id], {
        startsOn: '2026-01-01', endsOn: '2026-12-31', reviewOn: '2026-09-15', memberContactIds: [memberContact, otherContact], directorateContactId: directorateContact,
      }))
      .expect(201);
    await activate(t, convention.body.id, dgscgc, fixture.user);

    clock.set(new Date('2026-09-15T06:00:00Z'));
    await runCalendar();
    await runCalendar();
    // The directorate's correspondent also hears of the other conventions it is the fallback for: this one's only, here.
    const member = (await t.http.get(`/api/v1/members/${fixture.member.id}`).set(bearer(admin)).expect(200)).body.legalName as string;
    const toDirectorate = () => mail.to(directorateEmail).filter((message) => message.subject?.includes(member));
    const [review] = await eventually(async () => mail.to(named).length > 0 && mail.to(named));
    await eventually(async () => toDirectorate().length > 0);
    expect(review.subject).toMatch(/^Renfort : revue annuelle de la convention .+ et /);
    expect(review.text).toContain('Bonjour Julie Caron,');
    expect(review.text).toContain('arrive à sa date de revue (15/09/2026), avant son anniversaire du 31/12/2026');

    clock.set(new Date('2027-01-01T07:00:00Z'));
    await runCalendar();
    const expiry = await eventually(async () => mail.to(named).length > 1 && mail.to(named)[1]);
    expect(expiry.subject).toMatch(/est arrivée à échéance$/);
    expect(expiry.text).toContain('a pris fin le 31/12/2026 sans renouvellement');
    await eventually(async () => toDirectorate().length > 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.to(named)).toHaveLength(2);
    expect(toDirectorate()).toHaveLength(2);
    expect(mail.to(unverified)).toHaveLength(0);
    clock.set(new Date('2026-03-02T10:00:00Z'));
  });
});
