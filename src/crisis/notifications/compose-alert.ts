import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { ChannelOutbox } from '../../channels/delivery/channel-outbox.js';
import type { Channel } from '../../channels/delivery/channel-sender.js';
import { ChannelSenders } from '../../channels/delivery/channel-senders.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { inPipelinedTransaction } from '../../common/database/pipelined-transaction.js';
import { Clock } from '../../common/time/clock.js';
import { linkPlaceholder } from '../../channels/domain/answer-links.js';
import { AWAITING_ACKNOWLEDGEMENT } from '../domain/mobilization-request.js';
import { type AlertContent, alertEmail, alertSms } from './alert-messages.js';

export interface ComposedAlert {
  alertId: string;
  deliveries: { id: string; channel: Channel }[];
}

export class ComposeAlertCommand extends Command<ComposedAlert | null> {
  constructor(readonly alertId: string) {
    super();
  }
}

/**
 * Writes an alert's messages, once: one per verified method of the person (its email, its phone),
 * listing the alert's requests still waiting for an acknowledgement, queued in the same
 * transaction as the alert marked composed and its `ContactAlerted` event. Run again (a retried
 * or replayed job), it finds the alert composed and sends nothing: nobody is alerted twice for
 * one step. An alert whose requests were all answered meanwhile sends nothing either.
 */
@CommandHandler(ComposeAlertCommand)
export class ComposeAlertHandler implements ICommandHandler<ComposeAlertCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly outbox: ChannelOutbox,
    private readonly senders: ChannelSenders,
    private readonly clock: Clock,
  ) {}

  async execute({ alertId }: ComposeAlertCommand): Promise<ComposedAlert | null> {
    // Two messages to PostgreSQL: the reads (the alert locked), then the writes with the commit.
    // Thousands of alerts are composed in a fan-out's first seconds; each holds its connection for
    // two round trips, not eleven.
    return inPipelinedTransaction(this.db, async (tx) => {
      const [[alert], requests, methods] = (await tx.begin([
        [
          `SELECT a.id, a.activation_id, a.level, a.contact_id, a.reply_code, a.composed_at, c.name AS contact_name, c.email, c.phone,
                  v.decision_reference, k.title, k.exercise, k.departements
           FROM contact_alert a JOIN contact c ON c.id = a.contact_id
           JOIN activation v ON v.id = a.activation_id JOIN crisis k ON k.id = v.crisis_id
           WHERE a.id = $1 FOR UPDATE OF a`,
          [alertId],
        ],
        [
          `SELECT r.id, r.ack_deadline, r.ack_within_minutes, s.name AS asset_name, s.category, m.legal_name AS member_name
           FROM contact_alert_request x JOIN mobilization_request r ON r.id = x.request_id
           JOIN asset s ON s.id = r.asset_id JOIN member m ON m.id = r.member_id
           WHERE x.alert_id = $1 AND r.status = ANY($2::text[]) ORDER BY x.position`,
          [alertId, AWAITING_ACKNOWLEDGEMENT],
        ],
        [
          // The person's verified methods, for its current email and phone.
          `SELECT cm.method, cm.address FROM contact_alert a JOIN contact c ON c.id = a.contact_id
           JOIN contact_method cm ON cm.contact_id = c.id
           WHERE a.id = $1 AND cm.verified_at IS NOT NULL AND cm.address = CASE cm.method WHEN 'email' THEN c.email ELSE c.phone END
           ORDER BY cm.method`,
          [alertId],
        ],
      ])) as [Record<string, any>[], Record<string, any>[], { method: Channel; address: string }[]];
      if (!alert || alert.composed_at) {
        await tx.commit([]);
        return null;
      }
      const now = this.clock.now();
      const usable = requests.length === 0 ? [] : methods.filter((method) => this.senders.configured(method.method));
      const deadlines = requests.map((r) => (r.ack_deadline ? new Date(r.ack_deadline) : new Date(now.getTime() + r.ack_within_minutes * 60_000)));
      const content: AlertContent = {
        crisisTitle: alert.title, exercise: alert.exercise, departements: alert.departements, decisionReference: alert.decision_reference,
        memberName: requests[0]?.member_name ?? '', contactName: alert.contact_name, level: alert.level, replyCode: alert.reply_code,
        ackDeadline: new Date(Math.min(...deadlines.map((d) => d.getTime()), now.getTime() + 24 * 3600_000)),
        requests: requests.map((r) => ({ id: r.id, assetName: r.asset_name, category: r.category })),
      };
      const messages = usable.map(({ method, address }) => {
        const text = method === 'sms'
          ? { subject: null, body: alertSms(content) }
          : alertEmail({ ...content, requests: content.requests.map((request) => ({ ...request, links: this.linksOf(alertId, request.id) })) });
        return { channel: method, ...this.outbox.prepare(
          { channel: method, recipient: address, purpose: 'alert', contactId: alert.contact_id, subject: text.subject, body: text.body, alertId },
          now,
        ) };
      });
      const deliveries = messages.map(({ id, channel }) => ({ id, channel }));
      const alerted: NewDomainEvent = {
        aggregateType: 'Activation',
        aggregateId: alert.activation_id,
        type: 'ContactAlerted',
        payload: {
          alertId, activationId: alert.activation_id, level: alert.level, contactId: alert.contact_id, contactName: alert.contact_name,
          requestIds: requests.map((r) => r.id), deliveries,
          ...(requests.length > 0 && usable.length === 0 ? { problem: 'The contact has no verified method through a configured channel' } : {}),
        },
      };
      await tx.commit([
        [`UPDATE contact_alert SET composed_at = $2 WHERE id = $1`, [alertId, now]],
        ...messages.map((message) => message.insert),
        this.audit.appendStatement(SYSTEM_ACTOR, [...messages.map((message) => message.event), alerted]).statement,
      ]);
      return { alertId, deliveries };
    });
  }

  /** Placeholders, signed only when the message leaves (ChannelDeliveryProcessor). */
  private linksOf(alertId: string, requestId: string) {
    const url = (action: 'acknowledge' | 'accept' | 'decline') => linkPlaceholder({ alertId, requestId, action });
    return { acknowledge: url('acknowledge'), accept: url('accept'), decline: url('decline') };
  }
}
