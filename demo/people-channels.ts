import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import smpp, { type Pdu, type Server, type Session } from 'smpp';
import { SMTPServer } from 'smtp-server';
import { ApiClient, ApiError } from './api-client.js';
import type { SeededMember } from './registry-seeder.js';

/** The demo's own mail server and SMS centre: where the service's alerts to people arrive. */
export const DEMO_SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 2525);
export const DEMO_SMPP_PORT = Number(process.env.DEMO_SMPP_PORT ?? 2775);
export const DEMO_SMPP_SYSTEM_ID = 'renfort-demo';
export const DEMO_SMPP_PASSWORD = 'demo2026';

interface Sms {
  to: string;
  text: string;
}

export interface PeopleStats {
  /** People whose email and phone the demo verified (through the codes the service sent). */
  verified: number;
  emails: number;
  sms: number;
  answeredByLink: number;
  answeredBySms: number;
  /** Alerts whose requests had been answered already (by the member's application) when the person answered. */
  alreadyAnswered: number;
}

/**
 * A mail server and an SMS centre on the loopback, in the demo's process: the service must be
 * started with SMTP_URL=smtp://127.0.0.1:2525, SMTP_FROM, SMPP_URL=smpp://127.0.0.1:2775,
 * SMPP_SYSTEM_ID=renfort-demo, SMPP_PASSWORD=demo2026 and SMPP_SOURCE_ADDRESS=Renfort (the ports
 * move with DEMO_SMTP_PORT and DEMO_SMPP_PORT). The demo proves the silent members' contacts'
 * email and phone with the codes that arrive here, then plays the contacts alerted when those
 * members' requests escalate: each acknowledges its first request through the email's link (the
 * page's form, posted as a browser would) and the others with the SMS code.
 */
export class PeopleChannels {
  readonly emails: ParsedMail[] = [];
  readonly sms: Sms[] = [];
  readonly stats: PeopleStats = { verified: 0, emails: 0, sms: 0, answeredByLink: 0, answeredBySms: 0, alreadyAnswered: 0 };
  private smtp!: SMTPServer;
  private smsc!: Server;
  private nextId = 0;
  private readonly answered = new Set<string>();
  /** Members one of whose people answered an alert (or found it answered already). */
  private readonly handled = new Set<string>();
  private readonly watched = new Map<string, { member: SeededMember; level: number }>();
  private api: ApiClient | null = null;
  private onEvent: (line: string) => void = () => undefined;

  static async start(smtpPort = DEMO_SMTP_PORT, smppPort = DEMO_SMPP_PORT): Promise<PeopleChannels> {
    const channels = new PeopleChannels();
    channels.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        void simpleParser(stream).then((mail) => {
          channels.emails.push(mail);
          channels.stats.emails += 1;
          callback();
          channels.received();
        }, (error) => callback(error as Error));
      },
    });
    channels.smsc = smpp.createServer({}, (session: Session) => channels.accept(session));
    await Promise.all([
      listen(channels.smtp.server as unknown as Server, smtpPort, (port, done) => channels.smtp.listen(port, '127.0.0.1', done)),
      listen(channels.smsc, smppPort, (port, done) => channels.smsc.listen(port, '127.0.0.1', done)),
    ]);
    return channels;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${(this.smtp.server.address() as AddressInfo).port}`;
  }

  get smppUrl(): string {
    return `smpp://127.0.0.1:${(this.smsc.address() as AddressInfo).port}`;
  }

  /** The settings that point a service at these servers. */
  get serviceSettings(): Record<string, string> {
    return {
      SMTP_URL: this.smtpUrl, SMTP_FROM: 'Renfort <alertes@renfort.demo>', SMPP_URL: this.smppUrl,
      SMPP_SYSTEM_ID: DEMO_SMPP_SYSTEM_ID, SMPP_PASSWORD: DEMO_SMPP_PASSWORD, SMPP_SOURCE_ADDRESS: 'Renfort',
    };
  }

  /**
   * Proves the email and phone of the members' contacts with the codes the service sends here.
   * Answers false when the service has no channel to people configured (nothing to show then).
   */
  async verifyContacts(api: ApiClient, members: SeededMember[]): Promise<boolean> {
    for (const member of members) {
      const contacts = await api.get<{ id: string; email: string; phone: string; methods: Record<string, { verified: boolean }> }[]>(
        `/api/v1/members/${member.id}/contacts`, member.token,
      );
      for (const contact of contacts) {
        for (const method of ['email', 'sms'] as const) {
          if (contact.methods?.[method]?.verified) continue;
          const since = method === 'email' ? this.emails.length : this.sms.length;
          try {
            await api.post(`/api/v1/members/${member.id}/contacts/${contact.id}/verify`, { method }, member.token);
          } catch (error) {
            if (error instanceof ApiError && error.code === 'CHANNEL.NOT_CONFIGURED') return false;
            throw error;
          }
          const code = await this.codeAfter(method, method === 'email' ? contact.email : contact.phone, since);
          await api.post(`/api/v1/members/${member.id}/contacts/${contact.id}/verify/confirm`, { method, code }, member.token);
        }
        this.stats.verified += 1;
      }
    }
    return true;
  }

  /** From now on, the alerts to these members' contacts of `level` and beyond are answered from the message. */
  play(api: ApiClient, members: SeededMember[], fromLevel: number, onEvent: (line: string) => void): void {
    this.api = api;
    this.onEvent = onEvent;
    for (const member of members) {
      for (const contact of member.contacts) {
        if (contact.escalationOrder - 1 >= fromLevel) {
          this.watched.set(contact.email.toLowerCase(), { member, level: contact.escalationOrder - 1 });
          this.watched.set(contact.phone, { member, level: contact.escalationOrder - 1 });
        }
      }
    }
    this.received();
  }

  stop(): void {
    this.api = null;
  }

  /** Whether an alert to each of these members' people was answered from the message. */
  answeredFor(memberIds: string[]): boolean {
    return memberIds.every((id) => this.handled.has(id));
  }

  async close(): Promise<void> {
    this.stop();
    for (const session of [...this.smsc.sessions]) session.destroy();
    await new Promise<void>((resolve) => this.smsc.close(() => resolve()));
    await new Promise<void>((resolve) => this.smtp.close(() => resolve()));
  }

  /** Looks at what arrived for an alert to answer: its email (the links) and its SMS (the code). */
  private received(): void {
    if (!this.api) return;
    for (const mail of this.emails) {
      const to = [mail.to].flat()[0]?.value[0]?.address?.toLowerCase() ?? '';
      const person = this.watched.get(to);
      const key = mail.messageId ?? '';
      if (!person || this.answered.has(key) || !/Renfort : mobilisation/.test(mail.subject ?? '')) continue;
      const code = /OK (\d{4})/.exec(mail.text ?? '')?.[1];
      const sms = code && this.sms.find((message) => this.watched.get(message.to)?.member.id === person.member.id && message.text.includes(`OK ${code}`));
      if (!code || !sms) continue;
      this.answered.add(key);
      void this.answer(person.member, mail, sms, code).catch((error: unknown) => this.onEvent(`${person.member.plan.legalName}: the answer from the alert failed: ${(error as Error).message}`));
    }
  }

  private async answer(member: SeededMember, mail: ParsedMail, sms: Sms, code: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    const links = [...(mail.text ?? '').matchAll(/Accuser réception : (\S+)/g)].map((match) => new URL(match[1]).pathname);
    const name = /^Bonjour (.+),$/m.exec(mail.text ?? '')?.[1] ?? 'the contact';
    this.onEvent(`${member.plan.legalName}: ${name} alerted by email and SMS (${links.length} request${links.length > 1 ? 's' : ''})`);
    if (links[0]) {
      // As a browser would: the page first (it changes nothing), then its form.
      const page = await fetch(`${api.baseUrl}${links[0]}`);
      const form = await fetch(`${api.baseUrl}${links[0]}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      if (page.ok && form.ok) {
        this.stats.answeredByLink += 1;
        this.onEvent(`${member.plan.legalName}: ${name} acknowledged a request through the email's link`);
      } else {
        this.stats.alreadyAnswered += 1;
      }
    }
    if (links.length > 1 || !links[0]) {
      const before = this.sms.length;
      await this.fromPhone(sms.to, `OK ${code}`);
      const reply = await this.smsAfter(sms.to, before);
      if (/enregistré/.test(reply) && !/aucune réponse/.test(reply)) this.stats.answeredBySms += 1;
      else this.stats.alreadyAnswered += 1;
      this.onEvent(`${member.plan.legalName}: ${name} answered OK ${code} by SMS; Renfort replied "${reply}"`);
    }
    this.handled.add(member.id);
  }

  private accept(session: Session): void {
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: Pdu) => {
      const ok = pdu.system_id === DEMO_SMPP_SYSTEM_ID && pdu.password === DEMO_SMPP_PASSWORD;
      session.send(pdu.response(ok ? { system_id: 'demo' } : { command_status: smpp.errors.ESME_RBINDFAIL }));
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      const message = pdu.short_message as { message?: string } | string;
      const text = typeof message === 'string' ? message : String(message?.message ?? '');
      // Parts of a long message are kept apart; the demo's messages fit in one.
      this.sms.push({ to: `+${String(pdu.destination_addr)}`, text });
      this.stats.sms += 1;
      session.send(pdu.response({ message_id: `d${(this.nextId += 1)}` }));
      this.received();
    });
  }

  private async fromPhone(phone: string, text: string): Promise<void> {
    const session = this.smsc.sessions[this.smsc.sessions.length - 1];
    if (!session) throw new Error('the service is not bound to the demo SMS centre');
    await new Promise<void>((resolve) => {
      session.deliver_sm({ source_addr_ton: 1, source_addr_npi: 1, source_addr: phone.replace(/^\+/, ''), destination_addr: 'Renfort', esm_class: 0, short_message: text }, () => resolve());
    });
  }

  private async codeAfter(method: 'email' | 'sms', address: string, since: number): Promise<string> {
    for (let waited = 0; waited < 30_000; waited += 50) {
      const text = method === 'email'
        ? this.emails.slice(since).find((mail) => [mail.to].flat()[0]?.value[0]?.address?.toLowerCase() === address.toLowerCase())?.text
        : this.sms.slice(since).find((sms) => sms.to === address)?.text;
      const code = text && /\b(\d{6})\b/.exec(text)?.[1];
      if (code) return code;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no verification code reached ${address} within 30 s: is the service pointed at the demo's servers (${method === 'email' ? 'SMTP_URL' : 'SMPP_URL'})?`);
  }

  private async smsAfter(phone: string, since: number): Promise<string> {
    for (let waited = 0; waited < 15_000; waited += 50) {
      const reply = this.sms.slice(since).find((sms) => sms.to === phone);
      if (reply) return reply.text;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return '(no reply)';
  }
}

/** Listens on the port asked, or on any free one if it is taken (the service's settings then say which). */
async function listen(server: Server, port: number, start: (port: number, done: () => void) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && port !== 0) {
        server.removeListener('error', failed);
        start(0, resolve);
        return;
      }
      reject(error);
    };
    server.once('error', failed);
    start(port, () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
}
