import { randomInt } from 'node:crypto';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { MailServer } from './support/mail-server.js';
import { SmsCentre } from './support/sms-centre.js';
import { eventually, TestApp } from './support/test-app.js';

/**
 * Alerts under faults of the servers they go through: a mail server refusing, the SMS centre's
 * link dropped in the middle of the fan-out, a slow SMS centre. Nothing is lost (every first-step
 * person gets its email and its SMS) and nothing is sent twice to one person for one step.
 */
describe('Alerts under faults: nothing lost, nothing sent twice to one person for one step', () => {
  const outcomes: string[] = [];
  let t: TestApp;
  let mail: MailServer;
  let centre: SmsCentre;
  let actors: CrisisActors;

  beforeAll(async () => {
    mail = await MailServer.start();
    centre = await SmsCentre.start('renfort', 'secret12');
    t = await TestApp.start({
      env: {
        SMTP_URL: mail.url, SMTP_FROM: 'Renfort <alertes@renfort.test>',
        SMPP_URL: centre.url, SMPP_SYSTEM_ID: 'renfort', SMPP_PASSWORD: 'secret12', SMPP_SOURCE_ADDRESS: 'Renfort',
        CHANNEL_BACKOFF_MS: '50', CHANNEL_ATTEMPTS: '10', SMPP_ENQUIRE_LINK_SECONDS: '1',
      },
    });
    actors = await crisisActors(t);
  });
  afterAll(async () => {
    process.stdout.write(`alert faults:\n${outcomes.map((o) => `  ${o}`).join('\n')}\n`);
    await t.close();
    await centre.close();
    await mail.close();
  });

  /** Members with one asset and one contact each, its email and phone its own and verified. */
  async function people(category: string, count: number): Promise<{ email: string; phone: string }[]> {
    const reached = [];
    for (let i = 0; i < count; i += 1) {
      const member = await responder(t, actors.directorate, null, { category, contacts: 1 });
      const phone = `+336${randomInt(10_000_000, 99_999_999)}`;
      const email = `faute.${randomInt(1e9)}@membre.test`;
      await t.db.query(`UPDATE contact SET phone = $2, email = $3 WHERE id = $1`, [member.contactIds[0], phone, email]);
      await t.db.query(`INSERT INTO contact_method (contact_id, method, address, verified_at) VALUES ($1, 'email', $2, now()), ($1, 'sms', $3, now())`, [member.contactIds[0], email, phone]);
      reached.push({ email, phone });
    }
    return reached;
  }

  async function expectAlertedOnce(activationId: string, reached: { email: string; phone: string }[]): Promise<void> {
    await eventually(async () => reached.every((p) => mail.to(p.email).length >= 1 && centre.textsTo(p.phone).length >= 1), 30_000);
    await eventually(async () => (await t.db.query(
      `SELECT count(*)::int AS n FROM channel_delivery d JOIN contact_alert a ON a.id = d.alert_id WHERE a.activation_id = $1 AND d.status = 'queued'`, [activationId],
    ))[0].n === 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const person of reached) {
      expect(mail.to(person.email)).toHaveLength(1);
      expect(centre.textsTo(person.phone)).toHaveLength(1);
    }
    const [alerts] = await t.db.query(
      `SELECT count(*)::int AS alerts, count(DISTINCT contact_id)::int AS people FROM contact_alert WHERE activation_id = $1`, [activationId],
    );
    expect(alerts).toEqual({ alerts: reached.length, people: reached.length });
    // Every message left (sent; delivered when a receipt came), none failed, none twice.
    const [statuses] = await t.db.query(
      `SELECT count(*) FILTER (WHERE d.status IN ('sent', 'delivered'))::int AS left, count(*)::int AS messages
       FROM channel_delivery d JOIN contact_alert a ON a.id = d.alert_id WHERE a.activation_id = $1`, [activationId],
    );
    expect(statuses).toEqual({ left: reached.length * 2, messages: reached.length * 2 });
  }

  async function fanOut(count: number, fault: () => void): Promise<{ activationId: string; reached: { email: string; phone: string }[] }> {
    const category = await isolatedCategory(t);
    const reached = await people(category, count);
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: count }]);
    fault();
    await crisisCalls(t, actors).authorize(activationId).expect(200);
    return { activationId, reached };
  }

  it('retries the emails a mail server refuses, and delivers each once', async () => {
    const before = mail.refusals;
    const { activationId, reached } = await fanOut(8, () => mail.refuse(6));
    await expectAlertedOnce(activationId, reached);
    expect(mail.refusals - before).toBe(6);
    outcomes.push(`SMTP refused 6 messages of 8: 8 people alerted, each once by email and SMS`);
  });

  it('submits again what the SMS centre did not take when the link dropped mid-fan-out, and nothing twice', async () => {
    const before = centre.dropped;
    const binds = centre.binds.length;
    const { activationId, reached } = await fanOut(8, () => centre.dropOnNextSubmit(2));
    await expectAlertedOnce(activationId, reached);
    expect(centre.dropped - before).toBe(2);
    expect(centre.binds.length).toBeGreaterThan(binds);
    outcomes.push(`SMPP link dropped twice mid-fan-out: 8 people alerted, each once by email and SMS`);
  });

  it('waits for a slow SMS centre and sends nothing twice', async () => {
    const { activationId, reached } = await fanOut(6, () => {
      centre.answerDelayMs = 400;
    });
    try {
      await expectAlertedOnce(activationId, reached);
    } finally {
      centre.answerDelayMs = 0;
    }
    outcomes.push(`SMS centre answering in 400 ms: 6 people alerted, each once by email and SMS`);
  });
});
