import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import smpp, { type Pdu, type Session } from 'smpp';
import { SMTPServer } from 'smtp-server';

/**
 * A mail server and an SMS centre on the loopback that take every message at once and count
 * them by recipient, with the instant the last one came: what the alerts benchmark waits for.
 */
export class AlertSinks {
  readonly emailsTo = new Map<string, number>();
  readonly smsTo = new Map<string, number>();
  emails = 0;
  sms = 0;
  lastEmailAt = 0;
  lastSmsAt = 0;
  firstEmailAt = 0;
  firstSmsAt = 0;
  private smtp!: SMTPServer;
  private smsc!: ReturnType<typeof smpp.createServer>;
  private nextId = 0;

  static async start(systemId: string, password: string): Promise<AlertSinks> {
    const sinks = new AlertSinks();
    sinks.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 1_000_000,
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          for (const recipient of session.envelope.rcptTo) sinks.emailsTo.set(recipient.address, (sinks.emailsTo.get(recipient.address) ?? 0) + 1);
          sinks.emails += 1;
          sinks.lastEmailAt = performance.now();
          sinks.firstEmailAt ||= sinks.lastEmailAt;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => sinks.smtp.listen(0, '127.0.0.1', resolve));
    sinks.smsc = smpp.createServer({}, (session: Session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: Pdu) => {
        const ok = pdu.system_id === systemId && pdu.password === password;
        session.send(pdu.response(ok ? { system_id: 'bench' } : { command_status: smpp.errors.ESME_RBINDFAIL }));
      });
      session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: Pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu: Pdu) => {
        const destination = String(pdu.destination_addr);
        sinks.smsTo.set(destination, (sinks.smsTo.get(destination) ?? 0) + 1);
        sinks.sms += 1;
        sinks.lastSmsAt = performance.now();
        sinks.firstSmsAt ||= sinks.lastSmsAt;
        session.send(pdu.response({ message_id: `b${(sinks.nextId += 1)}` }));
      });
    });
    await new Promise<void>((resolve) => sinks.smsc.listen(0, '127.0.0.1', resolve));
    return sinks;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${(this.smtp.server.address() as AddressInfo).port}`;
  }

  get smppUrl(): string {
    return `smpp://127.0.0.1:${(this.smsc.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const session of [...this.smsc.sessions]) session.destroy();
    await new Promise<void>((resolve) => this.smsc.close(() => resolve()));
    await new Promise<void>((resolve) => this.smtp.close(() => resolve()));
  }
}
