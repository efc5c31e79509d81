import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import type { ActorRef } from '../../common/auth/role.js';
import type { Statement } from '../../common/database/pipelined-transaction.js';
import type { Channel } from './channel-sender.js';

export const DELIVERY_PURPOSES = ['verification', 'test', 'alert', 'reply', 'convention'] as const;
export type DeliveryPurpose = (typeof DELIVERY_PURPOSES)[number];
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NewChannelMessage {
  channel: Channel;
  recipient: string;
  purpose: DeliveryPurpose;
  contactId: string | null;
  subject: string | null;
  /** The text; `{code}` stands for `secret`, which is kept only until the message leaves. */
  body: string;
  secret?: string;
  /** The alert this message carries, if it is one. */
  alertId?: string;
}

/** The event a queued message records; the channel subscriptions turn it into a delivery job after commit. */
export const CHANNEL_MESSAGE_QUEUED = 'ChannelMessageQueued';

/**
 * The one way to send a message to a person: a delivery record, queued, written in the caller's
 * transaction with its event. Nothing leaves before the transaction commits; the relay then
 * queues the job (job id = record id), so a message is neither lost nor sent twice for one record.
 */
@Injectable()
export class ChannelOutbox {
  constructor(private readonly audit: AuditLog) {}

  async queue(manager: EntityManager, actor: ActorRef, message: NewChannelMessage, now: Date): Promise<{ id: string; status: DeliveryStatus; queuedAt: string }> {
    const { id, insert: [sql, params], event } = this.prepare(message, now);
    await manager.query(sql, params as unknown[]);
    await this.audit.append(manager, actor, [event]);
    return { id, status: 'queued', queuedAt: now.toISOString() };
  }

  /**
   * The same record and event, for a command that sends its statements itself (a pipelined
   * transaction): the INSERT to run, and the event to record with the command's own.
   */
  prepare(message: NewChannelMessage, now: Date): { id: string; insert: Statement; event: NewDomainEvent } {
    const id = randomUUID();
    return {
      id,
      insert: [
        `INSERT INTO channel_delivery (id, channel, recipient, purpose, contact_id, subject, body, secret, status, queued_at, alert_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10)`,
        [id, message.channel, message.recipient, message.purpose, message.contactId, message.subject, message.body, message.secret ?? null, now, message.alertId ?? null],
      ],
      event: {
        aggregateType: 'ChannelDelivery',
        aggregateId: id,
        type: CHANNEL_MESSAGE_QUEUED,
        payload: { deliveryId: id, channel: message.channel, recipient: message.recipient, purpose: message.purpose, contactId: message.contactId },
      },
    };
  }
}
