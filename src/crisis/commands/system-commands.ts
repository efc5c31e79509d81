import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { RECORD_EVENTS } from '../../audit/persistence.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { inPipelinedTransaction } from '../../common/database/pipelined-transaction.js';
import { Clock } from '../../common/time/clock.js';
import { ACTIVATION_LIFECYCLE } from '../domain/activation.js';
import { REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';

export class RecordNotificationCommand extends Command<{ id: string; ackDeadline: string }[]> {
  constructor(
    readonly activationId: string,
    readonly requestIds: string[],
    readonly delivery: { id: string; channel: 'webhook' | 'poll'; attempts: number },
  ) {
    super();
  }
}

/**
 * Requests delivered to their member become NOTIFIED; the deadline to acknowledge runs from
 * now, as the convention committed. Only PENDING ones move: a redelivery changes nothing.
 */
@CommandHandler(RecordNotificationCommand)
export class RecordNotificationHandler implements ICommandHandler<RecordNotificationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ activationId, requestIds, delivery }: RecordNotificationCommand): Promise<{ id: string; ackDeadline: string }[]> {
    const now = this.clock.now().toISOString();
    // Many deliveries finish at once during a fan-out: their events are recorded with the commit, in one message.
    return inPipelinedTransaction(this.db, async (tx) => {
      const [notified] = (await tx.begin([
        [
          // Rows found by primary key: a member's requests, however many the activation has.
          `UPDATE mobilization_request r
           SET status = 'NOTIFIED', notified_at = $3, ack_deadline = $3::timestamptz + make_interval(mins => r.ack_within_minutes),
               delivery_attempts = $4, delivery_failed_at = NULL, delivery_error = NULL, updated_at = $3
           FROM unnest($2::uuid[]) AS delivered(id)
           WHERE r.id = delivered.id AND r.activation_id = $1 AND r.status = 'PENDING'
           RETURNING r.id, r.member_id, r.ack_deadline`,
          [activationId, requestIds, now, delivery.attempts],
        ],
      ])) as [{ id: string; member_id: string; ack_deadline: Date }[]];
      if (notified.length === 0) {
        await tx.commit([]);
        return [];
      }
      const events: NewDomainEvent[] = notified.map((r) => ({
        aggregateType: 'MobilizationRequest',
        aggregateId: r.id,
        type: 'MobilizationRequestNotified',
        payload: { activationId, memberId: r.member_id, deliveryId: delivery.id, channel: delivery.channel, ackDeadline: r.ack_deadline.toISOString() },
      }));
      await tx.commit([
        // The first delivery starts the activation; its event comes before the requests'.
        [
          `WITH started AS (
             UPDATE activation SET status = $3, updated_at = $2 WHERE id = $1 AND status = ANY($4::text[]) RETURNING id
           )
           ${RECORD_EVENTS}
           SELECT gen_random_uuid(), $2::timestamptz, NULL, $5, 'Activation', id::text, 'ActivationInProgress', jsonb_build_object('at', $6::text) FROM started`,
          [activationId, now, ACTIVATION_LIFECYCLE.start.to, ACTIVATION_LIFECYCLE.start.from, SYSTEM_ACTOR.role, now],
        ],
        this.audit.appendStatement(SYSTEM_ACTOR, events).statement,
      ]);
      return notified.map((r) => ({ id: r.id, ackDeadline: r.ack_deadline.toISOString() }));
    });
  }
}

export class RecordDeliveryFailureCommand extends Command<void> {
  constructor(
    readonly requestIds: string[],
    readonly deliveryId: string,
    readonly attempts: number,
    readonly error: string,
  ) {
    super();
  }
}

/** The last attempt failed: recorded on the requests, for operators to see and act on. */
@CommandHandler(RecordDeliveryFailureCommand)
export class RecordDeliveryFailureHandler implements ICommandHandler<RecordDeliveryFailureCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ requestIds, deliveryId, attempts, error }: RecordDeliveryFailureCommand): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction(async (manager) => {
      const [failed]: [{ id: string; activation_id: string; member_id: string }[]] = await manager.query(
        `UPDATE mobilization_request SET delivery_failed_at = $2, delivery_error = $3, delivery_attempts = $4, updated_at = $2
         WHERE id = ANY($1::uuid[]) RETURNING id, activation_id, member_id`,
        [requestIds, now, error.slice(0, 1000), attempts],
      );
      await this.audit.append(
        manager,
        SYSTEM_ACTOR,
        failed.map((r) => ({
          aggregateType: 'MobilizationRequest',
          aggregateId: r.id,
          type: 'MobilizationRequestDeliveryFailed',
          payload: { activationId: r.activation_id, memberId: r.member_id, deliveryId, attempts, error: error.slice(0, 1000) },
        })),
      );
    });
  }
}

export interface Escalation {
  requestId: string;
  activationId: string;
  memberId: string;
  level: number;
  contact: { id: string; name: string; role: string; phone: string; email: string } | null;
  furtherContacts: boolean;
  ackWithinMinutes: number;
}

export class EscalateRequestCommand extends Command<Escalation | null> {
  constructor(
    readonly requestId: string,
    readonly level: number,
  ) {
    super();
  }
}

/**
 * At the deadline, a request still unacknowledged escalates to the member's next contact by
 * escalation order (level 1: the second contact), up to the last one. Idempotent: only the
 * expected level moves, once.
 */
@CommandHandler(EscalateRequestCommand)
export class EscalateRequestHandler implements ICommandHandler<EscalateRequestCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ requestId, level }: EscalateRequestCommand): Promise<Escalation | null> {
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const [request] = await manager.query(`SELECT * FROM mobilization_request WHERE id = $1 FOR UPDATE`, [requestId]);
      if (!request || !REQUEST_LIFECYCLE.escalate.from.includes(request.status) || request.escalation_level !== level - 1) return null;
      if (new Date(request.ack_deadline) > now) return null;
      const contacts: { id: string; name: string; role: string; phone: string; email: string }[] = await manager.query(
        `SELECT id, name, role, phone, email FROM contact WHERE member_id = $1 ORDER BY escalation_order`,
        [request.member_id],
      );
      if (level > 1 && !contacts[level]) return null;
      const contact = contacts[level] ?? null;
      const escalation: Escalation = {
        requestId, activationId: request.activation_id, memberId: request.member_id, level, contact,
        furtherContacts: contacts.length > level + 1, ackWithinMinutes: request.ack_within_minutes,
      };
      await manager.query(
        `UPDATE mobilization_request SET status = 'ESCALATED', escalation_level = $2, last_escalated_at = $3,
           ack_deadline = $3::timestamptz + make_interval(mins => ack_within_minutes), updated_at = $3
         WHERE id = $1`,
        [requestId, level, now.toISOString()],
      );
      await this.audit.append(manager, SYSTEM_ACTOR, [
        { aggregateType: 'MobilizationRequest', aggregateId: requestId, type: 'MobilizationRequestEscalated', payload: { ...escalation } },
      ]);
      return escalation;
    });
  }
}
