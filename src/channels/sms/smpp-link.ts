import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import smpp, { type Pdu, type Session } from 'smpp';
import { AppConfig } from '../../../config/app-config.js';
import type { SmppSettings } from '../../../config/channels-config.js';
import type { ChannelSender, OutgoingMessage, SendResult } from '../delivery/channel-sender.js';
import { decodeSmsPayload, encodeSms, type SmsPart } from './sms-encoding.js';

/** A delivery receipt from the SMS centre: the message it is about, and its final state. */
export interface DeliveryReceipt {
  messageId: string;
  /** DELIVRD, UNDELIV, EXPIRED, DELETED, REJECTD, UNKNOWN... */
  state: string;
  errorCode: string | null;
}
export type ReceiptHandler = (receipt: DeliveryReceipt) => Promise<void>;

/** A message from a phone (a reply): the number it came from (international, with +) and its text. */
export interface IncomingSms {
  from: string;
  text: string;
}
export type IncomingSmsHandler = (sms: IncomingSms) => Promise<void>;

const MIN_RECONNECT_MS = 250;
const MAX_RECONNECT_MS = 30_000;
const BIND_WAIT_MS = 10_000;
const RESPONSE_TIMEOUT_MS = 15_000;
/** esm_class bits (SMPP 3.4 §5.2.12). */
const UDH_INDICATOR = 0x40;
const DELIVERY_RECEIPT = 0x04;
/** message_state TLV values (SMPP 3.4 §5.2.28), as the receipt's text names them. */
const MESSAGE_STATES: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };
/** deliver_sm_resp status asking the SMS centre to try again later (ESME_RX_T_APPN). */
const TEMPORARY_APP_ERROR = 0x00000064;

/**
 * The link to the SMS centre (SMSC) over SMPP 3.4: bound as a transceiver (submits and receipts on
 * one session), kept alive by enquire_link, bound again with exponential backoff whenever it drops.
 * A message waits for the link (up to 10 s) rather than failing at once during a reconnection; a
 * submission whose answer is lost with the link is reported failed, for the queue to retry.
 * Delivery receipts are asked for on every part and handed to the receipt handler; the SMS centre
 * is answered only once the handler has recorded the receipt, so that none is lost.
 */
@Injectable()
export class SmppLink implements ChannelSender, OnApplicationShutdown {
  private readonly logger = new Logger(SmppLink.name);
  private readonly settings: SmppSettings | null;
  private session: Session | null = null;
  private bound = false;
  private started = false;
  private stopped = false;
  private reconnectDelay = MIN_RECONNECT_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private lastHeard = 0;
  private boundSince: Date | null = null;
  private lastProblem: string | null = null;
  private waiters: { resolve: (session: Session) => void; reject: (error: Error) => void }[] = [];
  /** Submissions waiting for their answer on the current session: failed at once if it drops. */
  private readonly inFlight = new Set<(error: Error) => void>();
  private onReceipt: ReceiptHandler | undefined;
  private onIncoming: IncomingSmsHandler | undefined;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.settings = config.channels.smpp;
  }

  get configured(): boolean {
    return this.settings !== null;
  }

  /** Opens the link, in the processes that send (the workers). Receipts go to `onReceipt`. */
  start(onReceipt: ReceiptHandler): void {
    if (!this.settings || this.started) return;
    this.started = true;
    this.onReceipt = onReceipt;
    this.connect();
  }

  /** Who reads the messages phones send (the replies to alerts); without one they are acknowledged and dropped. */
  receiveMessages(handler: IncomingSmsHandler): void {
    this.onIncoming = handler;
  }

  /** For /health: whether this process holds the link, and whether it is bound. */
  state(): Record<string, unknown> {
    if (!this.settings) return { configured: false };
    if (!this.started) return { configured: true, bound: null, note: 'the link is held by the processes that run workers' };
    return { configured: true, bound: this.bound, ...(this.boundSince ? { boundSince: this.boundSince.toISOString() } : {}), ...(this.bound || !this.lastProblem ? {} : { message: this.lastProblem }) };
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!this.settings) throw new Error('The SMS channel is not configured');
    const sms = encodeSms(message.text);
    const session = await this.boundSession();
    const ids: string[] = [];
    for (const part of sms.parts) ids.push(await this.submit(session, message.recipient, sms.dataCoding, part));
    return { providerMessageIds: ids };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepAliveTimer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('The SMPP link is closing'));
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(), 1000);
      session.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (this.bound) session.unbind(() => session.close());
      else session.destroy();
    });
  }

  private connect(): void {
    const settings = this.settings!;
    const session = smpp.connect({ url: settings.url, auto_enquire_link_period: settings.enquireLinkSeconds * 1000 }, () => {
      session.bind_transceiver({ system_id: settings.systemId, password: settings.password, interface_version: 0x34 }, (pdu: Pdu) => {
        if (pdu.command_status !== 0) {
          this.problem(`bind_transceiver refused (status 0x${pdu.command_status.toString(16)})`);
          session.destroy();
          return;
        }
        this.bound = true;
        this.boundSince = new Date();
        this.lastProblem = null;
        this.reconnectDelay = MIN_RECONNECT_MS;
        this.logger.log(`SmppLink: bound as transceiver to ${redact(settings.url)}`);
        for (const waiter of this.waiters.splice(0)) waiter.resolve(session);
      });
    });
    this.session = session;
    this.lastHeard = Date.now();
    session.on('pdu', () => {
      this.lastHeard = Date.now();
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: Pdu) => void this.onDeliver(session, pdu));
    session.on('error', (error: Error) => this.problem(error.message));
    session.on('close', () => this.onClose(session));
    // A link that went silent (no answer to enquire_link for three periods) is dead though TCP says nothing.
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = setInterval(() => {
      if (this.session === session && Date.now() - this.lastHeard > 3 * settings.enquireLinkSeconds * 1000) {
        this.problem('no answer to enquire_link');
        session.destroy();
      }
    }, settings.enquireLinkSeconds * 1000);
    this.keepAliveTimer.unref();
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    this.session = null;
    this.bound = false;
    this.boundSince = null;
    for (const fail of [...this.inFlight]) fail(new Error('The SMPP link dropped before the SMS centre answered'));
    if (this.stopped) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_MS);
    this.logger.warn(`SmppLink: link closed; binding again in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private boundSession(): Promise<Session> {
    if (this.bound && this.session) return Promise.resolve(this.session);
    if (!this.started) return Promise.reject(new Error('The SMPP link is not open in this process'));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (session: Session) => {
          clearTimeout(timer);
          resolve(session);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`The SMPP link is not bound${this.lastProblem ? ` (${this.lastProblem})` : ''}`));
      }, BIND_WAIT_MS);
      this.waiters.push(waiter);
    });
  }

  private submit(session: Session, recipient: string, dataCoding: number, part: SmsPart): Promise<string> {
    const settings = this.settings!;
    return new Promise((resolve, reject) => {
      const finish = (error: Error | null, id?: string) => {
        clearTimeout(timer);
        this.inFlight.delete(fail);
        if (error) reject(error);
        else resolve(id!);
      };
      const fail = (error: Error) => finish(error);
      const timer = setTimeout(() => finish(new Error(`No submit_sm_resp within ${RESPONSE_TIMEOUT_MS / 1000} s`)), RESPONSE_TIMEOUT_MS);
      this.inFlight.add(fail);
      const written = session.submit_sm(
        {
          ...sourceAddress(settings.sourceAddress),
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: recipient.replace(/^\+/, ''),
          esm_class: part.udh ? UDH_INDICATOR : 0,
          data_coding: dataCoding,
          registered_delivery: 0x01,
          short_message: part.udh ? Buffer.concat([part.udh, part.payload]) : part.payload,
        },
        (pdu: Pdu) => {
          if (pdu.command_status === 0 && pdu.message_id) finish(null, String(pdu.message_id));
          else finish(new Error(`The SMS centre refused submit_sm (status 0x${pdu.command_status.toString(16)})`));
        },
      );
      if (!written) finish(new Error('The SMPP link is not writable'));
    });
  }

  private async onDeliver(session: Session, pdu: Pdu): Promise<void> {
    if (!(Number(pdu.esm_class) & DELIVERY_RECEIPT)) {
      // A message from a phone: answered once its handler recorded it, else the centre sends it again.
      const incoming = parseIncoming(pdu);
      if (!this.onIncoming || !incoming) {
        session.send(pdu.response());
        this.logger.debug('SmppLink: a message from a phone was received and ignored');
        return;
      }
      try {
        await this.onIncoming(incoming);
        session.send(pdu.response());
      } catch (error) {
        this.logger.warn(`SmppLink: a message from a phone was not recorded (${(error as Error).message}); the SMS centre will send it again`);
        session.send(pdu.response({ command_status: TEMPORARY_APP_ERROR }));
      }
      return;
    }
    const receipt = parseReceipt(pdu);
    if (!receipt) {
      session.send(pdu.response());
      this.logger.warn('SmppLink: a delivery receipt without a message id was ignored');
      return;
    }
    try {
      await this.onReceipt?.(receipt);
      session.send(pdu.response());
    } catch (error) {
      this.logger.warn(`SmppLink: delivery receipt for ${receipt.messageId} not recorded (${(error as Error).message}); the SMS centre will send it again`);
      session.send(pdu.response({ command_status: TEMPORARY_APP_ERROR }));
    }
  }

  private problem(message: string): void {
    this.lastProblem = message;
    this.logger.warn(`SmppLink: ${message}`);
  }
}

/** The receipt's message id and state: the TLVs when the centre sends them, else the text (SMPP 3.4 Appendix B). */
export function parseReceipt(pdu: Pdu): DeliveryReceipt | null {
  const message = pdu.short_message;
  const text = typeof message === 'string' ? message : Buffer.isBuffer(message) ? message.toString('latin1') : String(message?.message ?? '');
  const messageId = pdu.receipted_message_id ? String(pdu.receipted_message_id) : /\bid:(\S+)/i.exec(text)?.[1];
  if (!messageId) return null;
  const state = (pdu.message_state !== undefined && MESSAGE_STATES[Number(pdu.message_state)]) || /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase() || 'UNKNOWN';
  return { messageId, state, errorCode: /\berr:(\w+)/i.exec(text)?.[1] ?? null };
}

/** The number and text of a message from a phone, whatever form the library decoded its text into. */
export function parseIncoming(pdu: Pdu): IncomingSms | null {
  const source = String(pdu.source_addr ?? '').trim();
  if (!/^\+?[0-9]{3,15}$/.test(source)) return null;
  const message = pdu.short_message as unknown;
  let text: string;
  if (typeof message === 'string') text = message;
  else if (Buffer.isBuffer(message)) text = decodeSmsPayload(Number(pdu.data_coding ?? 0), message);
  else text = String((message as { message?: unknown } | undefined)?.message ?? '');
  if (!text && pdu.message_payload) text = String(pdu.message_payload);
  return { from: source.startsWith('+') ? source : `+${source}`, text: text.trim() };
}

/** The sender's type of number: international (+33...), a short code, or alphanumeric. */
function sourceAddress(address: string): Record<string, unknown> {
  if (address.startsWith('+')) return { source_addr_ton: 1, source_addr_npi: 1, source_addr: address.slice(1) };
  if (/^[0-9]+$/.test(address)) return { source_addr_ton: 3, source_addr_npi: 0, source_addr: address };
  return { source_addr_ton: 5, source_addr_npi: 0, source_addr: address };
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
