import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { RECORD_EVENTS } from '../../audit/persistence.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { inPipelinedTransaction, type Statement } from '../../common/database/pipelined-transaction.js';
import { Clock } from '../../common/time/clock.js';
import type { DeliveryReceipt } from '../sms/smpp-link.js';
import type { DeliveryPurpose, DeliveryStatus } from './channel-outbox.js';
import type { Channel } from './channel-sender.js';

export interface DeliveryRow {
  id: string;
  channel: Channel;
  recipient: string;
  purpose: DeliveryPurpose;
  contact_id: string | null;
  subject: string | null;
  body: string;
  secret: string | null;
  status: DeliveryStatus;
  attempts: number;
}

/** Receipt states that end a message well, or badly; the others (ENROUTE, ACCEPTD...) are on the way. */
const DELIVERED_STATE = 'DELIVRD';
const FAILED_STATES = ['UNDELIV', 'EXPIRED', 'DELETED', 'REJECTD'];

/**
 * The status of delivery records: queued → sent → delivered, or failed, each change recorded
 * with its event (by the system). Every change is conditional on the status it leaves, so that a
 * redelivered job or a receipt received twice changes nothing. A secret (a verification code)
 * is erased from the record as soon as the message left or failed for good.
 */
@Injectable()
export class DeliveryRecords {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async find(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.db.query(
      `SELECT id, channel, recipient, purpose, contact_id, subject, body, secret, status, attempts FROM channel_delivery WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** In two messages to PostgreSQL (every alert's messages are recorded sent within seconds in a fan-out). */
  async markSent(id: string, attempts: number, providerMessageIds: string[]): Promise<void> {
    await inPipelinedTransaction(this.db, async (tx) => {
      const [changed] = (await tx.begin([
        [
          `UPDATE channel_delivery SET status = 'sent', sent_at = $2, attempts = $3, provider_message_ids = $4, secret = NULL, error = NULL
           WHERE id = $1 AND status = 'queued' RETURNING id, channel`,
          [id, this.clock.now(), attempts, providerMessageIds],
        ],
      ])) as [{ id: string; channel: Channel }[]];
      if (changed.length === 0) {
        await tx.commit([]);
        return;
      }
      await tx.commit([
        this.audit.appendStatement(SYSTEM_ACTOR, [
          { aggregateType: 'ChannelDelivery', aggregateId: id, type: 'ChannelMessageSent', payload: { deliveryId: id, attempts, providerMessageIds } },
        ]).statement,
        // A receipt may have come before the submission was recorded (SMS only: email has none).
        ...(changed[0].channel === 'sms' ? [this.receiptsStatement([id])] : []),
      ]);
    });
  }

  /** A failed attempt: the error kept for the record; the message stays queued for the next. */
  async markAttemptFailed(id: string, attempts: number, error: string): Promise<void> {
    await this.db.query(`UPDATE channel_delivery SET attempts = $2, error = $3 WHERE id = $1 AND status = 'queued'`, [id, attempts, error.slice(0, 500)]);
  }

  async markFailed(id: string, attempts: number, error: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [rows]: [{ id: string }[], number] = await manager.query(
        `UPDATE channel_delivery SET status = 'failed', failed_at = $2, attempts = $3, error = $4, secret = NULL
         WHERE id = $1 AND status = 'queued' RETURNING id`,
        [id, this.clock.now(), attempts, error.slice(0, 500)],
      );
      if (rows.length === 0) return;
      await this.audit.append(manager, SYSTEM_ACTOR, [
        { aggregateType: 'ChannelDelivery', aggregateId: id, type: 'ChannelMessageFailed', payload: { deliveryId: id, attempts, error: error.slice(0, 500) } },
      ]);
    });
  }

  /** Keeps the receipt (final states only), then settles the record it is about, if known yet. */
  async recordReceipt(receipt: DeliveryReceipt): Promise<void> {
    if (receipt.state !== DELIVERED_STATE && !FAILED_STATES.includes(receipt.state)) return;
    await this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO sms_delivery_receipt (message_id, state, error_code, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, error_code = excluded.error_code, received_at = excluded.received_at`,
        [receipt.messageId, receipt.state, receipt.errorCode, this.clock.now()],
      );
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM channel_delivery WHERE channel = 'sms' AND status = 'sent' AND provider_message_ids @> ARRAY[$1::text]`,
        [receipt.messageId],
      );
      if (rows.length > 0) await this.applyReceipts(manager, rows.map((row) => row.id));
    });
  }

  /** Sent SMS whose parts all reached the phone become delivered; one part that cannot, failed. */
  private async applyReceipts(manager: EntityManager, ids: string[]): Promise<void> {
    const [sql, params] = this.receiptsStatement(ids);
    await manager.query(sql, params as unknown[]);
  }

  /** The statement that settles these sent SMS from their receipts, and records each settled one's event. */
  private receiptsStatement(ids: string[]): Statement {
    return [
      `WITH receipts AS (
         SELECT d.id, count(r.message_id) AS received,
                count(r.message_id) FILTER (WHERE r.state <> $2) AS bad,
                min(r.state || coalesce(' (err ' || r.error_code || ')', '')) FILTER (WHERE r.state <> $2) AS bad_state,
                max(r.received_at) AS last_at
         FROM channel_delivery d JOIN sms_delivery_receipt r ON r.message_id = ANY(d.provider_message_ids)
         WHERE d.id = ANY($1::uuid[]) AND d.status = 'sent'
         GROUP BY d.id
       ), settled AS (
         UPDATE channel_delivery d
         SET status = CASE WHEN x.bad > 0 THEN 'failed' ELSE 'delivered' END,
             delivered_at = CASE WHEN x.bad > 0 THEN NULL ELSE x.last_at END,
             failed_at = CASE WHEN x.bad > 0 THEN x.last_at END,
             error = CASE WHEN x.bad > 0 THEN 'The SMS centre reports the message not delivered: ' || x.bad_state END
         FROM receipts x
         WHERE d.id = x.id AND (x.bad > 0 OR x.received = cardinality(d.provider_message_ids))
         RETURNING d.id, d.status, d.error
       )
       ${RECORD_EVENTS}
       SELECT gen_random_uuid(), $3::timestamptz, $4::uuid, $5, 'ChannelDelivery', id::text,
              CASE WHEN status = 'delivered' THEN 'ChannelMessageDelivered' ELSE 'ChannelMessageFailed' END,
              jsonb_strip_nulls(jsonb_build_object('deliveryId', id, 'error', error))
       FROM settled ORDER BY id`,
      [ids, DELIVERED_STATE, this.clock.now().toISOString(), SYSTEM_ACTOR.id, SYSTEM_ACTOR.role],
    ];
  }
}
