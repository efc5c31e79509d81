import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { ChannelSenders } from '../../channels/delivery/channel-senders.js';
import { AWAITING_ACKNOWLEDGEMENT } from '../domain/mobilization-request.js';
import { GatherAlertsCommand } from './gather-alerts.js';
import { jobIds, notificationJobOptions, NOTIFICATIONS_QUEUE, type NotificationJob, webhookVersion } from './queues.js';

const CHUNK = 1000;
/** From this many requests an authorization refreshes the planner's statistics before delivering. */
const ANALYZE_FROM_REQUESTS = 1000;

/**
 * Queues deliveries of requests not yet delivered: one job per activation and member, which
 * sends that member all its requests of the activation in one signed webhook. The job id is
 * deterministic for a version of the member's webhook, so calling again (relay replays, the
 * sweeper) adds nothing, while a fixed or rotated webhook gets the undelivered requests once.
 */
@Injectable()
export class DeliveryDispatcher {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<NotificationJob>,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly commands: CommandBus,
    private readonly senders: ChannelSenders,
  ) {}

  /**
   * An activation's requests no delivery reached: just authorized, or their job lost with Redis.
   * For a job still kept (retrying, or failed for good) the same id adds nothing.
   */
  async dispatchPending(activationId: string): Promise<number> {
    return this.dispatch(`r.activation_id = $1 AND r.status = ANY($2::text[]) AND r.notified_at IS NULL`, [activationId, AWAITING_ACKNOWLEDGEMENT]);
  }

  /**
   * Before an authorized activation's deliveries are queued. A large fan-out has just added its
   * requests and their chains: the planner learns of them before the deliveries' statements run
   * (autovacuum would, but only in its next round, a minute later, when the fan-out is over); one
   * ANALYZE samples a bounded number of rows, about 0.1 s. Then the people of every chain's first
   * step get their alerts, each listing all its requests, in one statement for the whole
   * activation (each delivery job then only composes its member's, already gathered).
   */
  async prepareFanOut(activationId: string, requestCount: number): Promise<void> {
    if (requestCount >= ANALYZE_FROM_REQUESTS) await this.db.query(`ANALYZE mobilization_request, mobilization_request_step`);
    if (this.senders.configured('email') || this.senders.configured('sms')) {
      await this.commands.execute(GatherAlertsCommand.forActivation(activationId, 0));
    }
  }

  /** A member's open requests that no delivery reached, in every activation: after its webhook changed. */
  async dispatchUndelivered(memberId: string): Promise<number> {
    return this.dispatch(`r.member_id = $1 AND r.status = ANY($2::text[]) AND r.notified_at IS NULL`, [memberId, AWAITING_ACKNOWLEDGEMENT]);
  }

  private async dispatch(condition: string, params: unknown[]): Promise<number> {
    const targets: { activation_id: string; member_id: string; webhook_url: string | null; webhook_secret: string | null }[] = await this.db.query(
      `SELECT t.activation_id, t.member_id, m.webhook_url, m.webhook_secret
       FROM (SELECT DISTINCT r.activation_id, r.member_id FROM mobilization_request r WHERE ${condition}) t
       JOIN member m ON m.id = t.member_id`,
      params,
    );
    for (let i = 0; i < targets.length; i += CHUNK) {
      await this.queue.addBulk(
        targets.slice(i, i + CHUNK).map((target) => {
          const version = webhookVersion(target.webhook_url, target.webhook_secret);
          return {
            name: 'requested',
            data: { kind: 'requested' as const, activationId: target.activation_id, memberId: target.member_id, webhookVersion: version },
            opts: { ...notificationJobOptions(this.config.webhook), jobId: jobIds.requested(target.activation_id, target.member_id, version) },
          };
        }),
      );
    }
    return targets.length;
  }
}
