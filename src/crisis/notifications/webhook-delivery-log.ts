import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** How long a member can look back at its webhook's deliveries. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

/** Who a delivery is for and which try of it this is: given by the caller of the webhook client. */
export interface DeliveryAttemptContext {
  memberId: string;
  /** From 1: the queue job's attempt. */
  attempt: number;
}

export interface DeliveryAttempt extends DeliveryAttemptContext {
  deliveryId: string;
  eventType: string;
  urlOrigin: string;
  attemptedAt: Date;
  httpStatus: number | null;
  /** What the member may read of a failure (memberVisibleReason); null when delivered. */
  error: string | null;
  durationMs: number;
}

/**
 * The log of attempts to deliver to members' webhooks, one row per POST. Recording is a side
 * note of the delivery: it never delays it (the INSERT runs beside it) and a failed INSERT never
 * fails it nor makes it try again; it is logged and forgotten.
 */
@Injectable()
export class WebhookDeliveryLog implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryLog.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  record(attempt: DeliveryAttempt): void {
    const insert = this.db
      .query(
        `INSERT INTO webhook_delivery_attempt
           (member_id, delivery_id, event_type, url_origin, attempt, attempted_at, http_status, error, duration_ms, ok)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          attempt.memberId, attempt.deliveryId, attempt.eventType, attempt.urlOrigin, attempt.attempt, attempt.attemptedAt,
          attempt.httpStatus, attempt.error, Math.max(0, Math.round(attempt.durationMs)), attempt.error === null,
        ],
      )
      .then(
        () => undefined,
        (error: Error) => this.logger.warn(`WebhookDeliveryLog: attempt ${attempt.attempt} of delivery ${attempt.deliveryId} not recorded: ${error.message}`),
      );
    this.pending.add(insert);
    void insert.finally(() => this.pending.delete(insert));
  }

  /** Deletes the attempts older than the retention period; answers how many. */
  async purge(now: Date): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM webhook_delivery_attempt WHERE attempted_at < $1`, [
      new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_DAYS * 86_400_000),
    ]);
    return Number(count ?? 0);
  }

  /** The attempts being recorded are written before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.pending);
  }
}
