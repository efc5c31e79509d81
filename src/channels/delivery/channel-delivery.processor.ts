import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../../../config/app-config.js';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { linkKey, renderLinks } from '../domain/answer-links.js';
import { renderBody } from '../domain/messages.js';
import { ChannelSenders } from './channel-senders.js';
import { DeliveryRecords } from './delivery-records.js';
import { CHANNEL_DELIVERIES_QUEUE, type ChannelDeliveryJob } from './queues.js';

/**
 * Sends one message through its channel. Only a record still queued is sent: a job run again
 * after its message left (a redelivery, a stalled job picked up again) sends nothing. Every
 * refusal is retried with backoff; the last one marks the record failed with its reason.
 */
// A message takes at most the SMTP socket timeout or the SMPP answer timeout (30 s).
@Processor(CHANNEL_DELIVERIES_QUEUE, { concurrency: 30, lockDuration: 60_000, stalledInterval: 15_000, maxStalledCount: 2 })
export class ChannelDeliveryProcessor extends LoggedWorkerHost {
  private readonly linkKey: Buffer;

  constructor(
    private readonly records: DeliveryRecords,
    private readonly senders: ChannelSenders,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super();
    this.linkKey = linkKey(config.jwt.secret);
  }

  async process(job: Job<ChannelDeliveryJob>): Promise<unknown> {
    const record = await this.records.find(job.data.deliveryId);
    if (!record) return { skipped: 'unknown delivery' };
    if (record.status !== 'queued') return { skipped: `already ${record.status}` };
    const attempts = job.attemptsMade + 1;
    const sender = this.senders.of(record.channel);
    if (!sender.configured) {
      const reason = `The ${record.channel} channel is not configured on this service`;
      await this.records.markFailed(record.id, attempts, reason);
      throw new UnrecoverableError(reason);
    }
    try {
      const sent = await sender.send({ deliveryId: record.id, recipient: record.recipient, subject: record.subject, text: renderLinks(renderBody(record.body, record.secret), this.linkKey, this.config.channels.publicUrl) });
      await this.records.markSent(record.id, attempts, sent.providerMessageIds);
      return { sent: record.id, providerMessageIds: sent.providerMessageIds };
    } catch (error) {
      const reason = describe(error);
      const final = attempts >= (job.opts.attempts ?? this.config.channels.attempts);
      if (final) await this.records.markFailed(record.id, attempts, reason);
      else await this.records.markAttemptFailed(record.id, attempts, reason);
      this.logger.warn(`ChannelDeliveryProcessor: ${record.channel} delivery ${record.id}, attempt ${attempts}: ${reason}${final ? ' (final)' : ''}`);
      throw error;
    }
  }
}

/** The server's answer when there is one (an SMTP reply), else the error's message. */
function describe(error: unknown): string {
  const smtp = error as { response?: string; responseCode?: number };
  if (smtp.responseCode && smtp.response) return `The mail server refused: ${smtp.response}`;
  return (error as Error).message ?? String(error);
}
