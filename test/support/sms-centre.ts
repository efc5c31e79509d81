import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import smpp, { type Pdu, type Server, type Session } from 'smpp';

export interface ReceivedSms {
  messageId: string;
  source: string;
  destination: string;
  dataCoding: number;
  text: string;
  concatenation: { reference: number; total: number; sequence: number } | null;
  registeredDelivery: number;
}

/**
 * An SMS centre (SMSC) on the loopback, over real SMPP 3.4 (the `smpp` package's server): answers
 * bind_transceiver for one system id and password, gives each submit_sm a message id, sends
 * delivery receipts on demand, and can drop the link instead of answering.
 */
export class SmsCentre {
  readonly received: ReceivedSms[] = [];
  readonly binds: string[] = [];
  enquireLinks = 0;
  /** Submissions dropped with the link, not taken. */
  dropped = 0;
  private dropNext = 0;
  /** How long the centre takes to answer each submission (a slow SMS centre). */
  answerDelayMs = 0;
  /** Message ids unique across centres: receipts kept in the shared test database must not match another test's messages. */
  private nextId = randomInt(1, 1_000_000) * 10_000;
  private server: Server;

  constructor(
    readonly systemId = 'renfort',
    readonly password = 'secret12',
  ) {}

  static async start(systemId?: string, password?: string): Promise<SmsCentre> {
    const centre = new SmsCentre(systemId, password);
    centre.server = smpp.createServer({}, (session) => centre.accept(session));
    await new Promise<void>((resolve) => centre.server.listen(0, '127.0.0.1', resolve));
    return centre;
  }

  get url(): string {
    return `smpp://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get sessions(): Session[] {
    return this.server.sessions;
  }

  /** Drops the link on the next submissions, before answering (the message is not taken). */
  dropOnNextSubmit(count = 1): void {
    this.dropNext = count;
  }

  /** The whole texts received for a number, parts joined in order. */
  textsTo(phone: string): string[] {
    const destination = phone.replace(/^\+/, '');
    const texts: string[] = [];
    const partial = new Map<number, ReceivedSms[]>();
    for (const sms of this.received.filter((s) => s.destination === destination)) {
      if (!sms.concatenation) {
        texts.push(sms.text);
        continue;
      }
      const parts = partial.get(sms.concatenation.reference) ?? [];
      parts.push(sms);
      partial.set(sms.concatenation.reference, parts);
      if (parts.length === sms.concatenation.total) {
        texts.push(parts.sort((a, b) => a.concatenation!.sequence - b.concatenation!.sequence).map((part) => part.text).join(''));
        partial.delete(sms.concatenation.reference);
      }
    }
    return texts;
  }

  /** A delivery receipt for a message, on the bound session, as SMPP 3.4 Appendix B writes it. */
  async sendReceipt(messageId: string, state: 'DELIVRD' | 'UNDELIV' = 'DELIVRD'): Promise<number> {
    const sms = this.received.find((s) => s.messageId === messageId);
    const session = this.sessions[this.sessions.length - 1];
    const stamp = '2611241200';
    const text = `id:${messageId} sub:001 dlvr:${state === 'DELIVRD' ? '001' : '000'} submit date:${stamp} done date:${stamp} stat:${state} err:000 text:`;
    return new Promise((resolve) => {
      session.deliver_sm(
        { source_addr: sms?.destination ?? '', destination_addr: sms?.source ?? '', esm_class: 0x04, short_message: text },
        (pdu: Pdu) => resolve(pdu.command_status),
      );
    });
  }

  /** A message from a phone to the service (deliver_sm, not a receipt); answers the service's deliver_sm_resp status. */
  async sendFromPhone(phone: string, text: string): Promise<number> {
    const session = this.sessions[this.sessions.length - 1];
    return new Promise((resolve) => {
      session.deliver_sm(
        { source_addr_ton: 1, source_addr_npi: 1, source_addr: phone.replace(/^\+/, ''), destination_addr: 'Renfort', esm_class: 0, data_coding: 0, short_message: text },
        (pdu: Pdu) => resolve(pdu.command_status),
      );
    });
  }

  async close(): Promise<void> {
    for (const session of [...this.sessions]) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(session: Session): void {
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: Pdu) => {
      const ok = pdu.system_id === this.systemId && pdu.password === this.password;
      this.binds.push(String(pdu.system_id));
      session.send(pdu.response(ok ? { system_id: 'smsc' } : { command_status: smpp.errors.ESME_RBINDFAIL }));
    });
    session.on('enquire_link', (pdu: Pdu) => {
      this.enquireLinks += 1;
      session.send(pdu.response());
    });
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    // A link the centre dropped takes nothing more: PDUs read in the same chunk as the one that
    // dropped it are not processed either, as a real centre that closed the connection would not.
    let linkDropped = false;
    session.on('submit_sm', (pdu: Pdu) => {
      if (linkDropped) return;
      if (this.dropNext > 0) {
        this.dropNext -= 1;
        this.dropped += 1;
        linkDropped = true;
        session.destroy();
        return;
      }
      const messageId = `m${(this.nextId += 1)}`;
      const message = pdu.short_message as { message: string; udh?: Buffer[] };
      const concat = message.udh?.find((ie) => ie[0] === 0x00);
      this.received.push({
        messageId,
        source: String(pdu.source_addr),
        destination: String(pdu.destination_addr),
        dataCoding: Number(pdu.data_coding),
        text: message.message,
        concatenation: concat ? { reference: concat[2], total: concat[3], sequence: concat[4] } : null,
        registeredDelivery: Number(pdu.registered_delivery),
      });
      const answer = () => session.send(pdu.response({ message_id: messageId }));
      if (this.answerDelayMs > 0) setTimeout(answer, this.answerDelayMs);
      else answer();
    });
  }
}
