import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { AppConfig } from '../../../config/app-config.js';
import type { ChannelSender, OutgoingMessage, SendResult } from '../delivery/channel-sender.js';

/**
 * Email over SMTP (nodemailer): one pooled transport per process. A message is sent when the
 * server accepted it (250 after DATA); every refusal (4xx, 5xx, a connection lost) is thrown for
 * the queue to retry with backoff. The Message-ID is the delivery's own, stable across retries,
 * so that a copy a server took twice can be recognized as one.
 */
@Injectable()
export class EmailSender implements ChannelSender, OnApplicationShutdown {
  private readonly logger = new Logger(EmailSender.name);
  private readonly transport;
  private readonly from: string;
  private lastCheck: { at: number; result: Record<string, unknown> } | undefined;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const smtp = config.channels.smtp;
    this.from = smtp?.from ?? '';
    this.transport = smtp
      ? createTransport({ url: smtp.url, pool: true, maxConnections: 5, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never)
      : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!this.transport) throw new Error('The email channel is not configured');
    const info = await this.transport.sendMail({
      from: this.from,
      to: message.recipient,
      subject: message.subject ?? 'Renfort',
      text: message.text,
      messageId: `<${message.deliveryId}@renfort>`,
      headers: { 'X-Renfort-Delivery': message.deliveryId, 'Auto-Submitted': 'auto-generated' },
    });
    this.logger.debug(`EmailSender: ${message.deliveryId} accepted (${String(info.response ?? '')})`);
    return { providerMessageIds: [String(info.messageId ?? `<${message.deliveryId}@renfort>`)] };
  }

  /** SMTP verify (connect, greet, authenticate), at most every 30 s: health must not hammer the server. */
  async check(): Promise<Record<string, unknown>> {
    if (!this.transport) return { configured: false };
    if (this.lastCheck && Date.now() - this.lastCheck.at < 30_000) return this.lastCheck.result;
    let result: Record<string, unknown>;
    try {
      await Promise.race([
        this.transport.verify(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000).unref()),
      ]);
      result = { configured: true, verified: true };
    } catch (error) {
      result = { configured: true, verified: false, message: (error as Error).message };
    }
    this.lastCheck = { at: Date.now(), result };
    return result;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
