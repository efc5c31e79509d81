import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { jobIds, notificationJobOptions, NOTIFICATIONS_QUEUE, type NotificationJob } from './queues.js';

const CHUNK = 1000;

/**
 * Queues the deliveries of an activation's PENDING requests: one job per member, which sends
 * that member all its requests in one signed webhook. Deterministic job ids make it safe to
 * call again (relay replays, the sweeper).
 */
@Injectable()
export class DeliveryDispatcher {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<NotificationJob>,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async dispatchPending(activationId: string): Promise<number> {
    const members: { member_id: string }[] = await this.db.query(
      `SELECT DISTINCT member_id FROM mobilization_request WHERE activation_id = $1 AND status = 'PENDING'`,
      [activationId],
    );
    for (let i = 0; i < members.length; i += CHUNK) {
      await this.queue.addBulk(
        members.slice(i, i + CHUNK).map(({ member_id: memberId }) => ({
          name: 'requested',
          data: { kind: 'requested' as const, activationId, memberId },
          opts: { ...notificationJobOptions(this.config.webhook), jobId: jobIds.requested(activationId, memberId) },
        })),
      );
    }
    return members.length;
  }
}
