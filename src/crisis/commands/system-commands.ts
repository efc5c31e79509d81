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
import { AWAITING_ACKNOWLEDGEMENT, type EscalationStepKind, REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';

/** Answers how many of the requests this delivery notified (none when an earlier one had). */
export class RecordNotificationCommand extends Command<number> {
  constructor(
    readonly requestIds: string[],
    readonly delivery: { id: string; channel: 'webhook' | 'poll'; attempts: number },
  ) {
    super();
  }
}

/** At most this many deliveries are recorded by one transaction. */
const NOTIFICATIONS_PER_COMMIT = 100;
/** Transactions recording deliveries at once, each taking the deliveries that waited for it. */
const RECORDING_TRANSACTIONS = 4;

interface WaitingNotification {
  command: RecordNotificationCommand;
  resolve: (notified: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Requests delivered to their member: a PENDING one becomes NOTIFIED, one already escalated
 * while its delivery failed stays where its chain is. The deadline to acknowledge runs from the
 * first delivery attempt: from now if this was it, else as it was. Only requests no delivery
 * reached yet move, so a redelivery changes nothing and each is notified once.
 *
 * During a fan-out hundreds of deliveries finish within the same few milliseconds: the ones that
 * finish while transactions record the previous ones (a few at once) wait and are recorded together
 * by the next, in one statement and one commit (group commit). Each delivery job still completes
 * only once its own requests are committed.
 */
@CommandHandler(RecordNotificationCommand)
export class RecordNotificationHandler implements ICommandHandler<RecordNotificationCommand> {
  private waiting: WaitingNotification[] = [];
  private recording = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  execute(command: RecordNotificationCommand): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ command, resolve, reject });
      void this.recordWaiting();
    });
  }

  private async recordWaiting(): Promise<void> {
    if (this.recording >= RECORDING_TRANSACTIONS) return;
    this.recording += 1;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, NOTIFICATIONS_PER_COMMIT);
        try {
          const notified = await this.record(batch.map((waiting) => waiting.command));
          batch.forEach((waiting, index) => waiting.resolve(notified[index]));
        } catch (error) {
          // Nothing of the batch was written: every delivery job of it fails and is retried.
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.recording -= 1;
    }
  }

  /** One transaction for these deliveries; answers how many requests each notified, in their order. */
  private async record(commands: RecordNotificationCommand[]): Promise<number[]> {
    const now = this.clock.now().toISOString();
    const { from, to } = REQUEST_LIFECYCLE.notify;
    const ids: string[] = [];
    const attempts: number[] = [];
    const deliveryOf = new Map<string, number>();
    commands.forEach((command, index) => {
      for (const id of command.requestIds) {
        if (deliveryOf.has(id)) continue;
        deliveryOf.set(id, index);
        ids.push(id);
        attempts.push(command.delivery.attempts);
      }
    });
    return inPipelinedTransaction(this.db, async (tx) => {
      const [notified] = (await tx.begin([
        [
          // Rows found by primary key only, whatever the statistics say: the ids are the members'
          // requests of these activations (each delivery job read them so). A condition on the
          // activation here would let a planner with stale statistics (a fan-out of 100,000 rows
          // just committed) walk every request of the activation for each delivery, a cost growing
          // with the square of the fan-out.
          `UPDATE mobilization_request r
           SET status = CASE WHEN r.status = ANY($4::text[]) THEN $5 ELSE r.status END, notified_at = $2,
               ack_deadline = CASE WHEN r.delivery_started_at IS NULL THEN $2::timestamptz + make_interval(mins => r.ack_within_minutes) ELSE r.ack_deadline END,
               delivery_started_at = coalesce(r.delivery_started_at, $2), delivery_attempts = delivered.attempts, delivery_failed_at = NULL, delivery_error = NULL,
               updated_at = $2
           FROM unnest($1::uuid[], $3::int[]) AS delivered(id, attempts)
           WHERE r.id = delivered.id AND r.status = ANY($6::text[]) AND r.notified_at IS NULL
           RETURNING r.id, r.activation_id, r.member_id, r.ack_deadline`,
          [ids, now, attempts, from, to, AWAITING_ACKNOWLEDGEMENT],
        ],
      ])) as [{ id: string; activation_id: string; member_id: string; ack_deadline: Date | null }[]];
      if (notified.length === 0) {
        await tx.commit([]);
        return commands.map(() => 0);
      }
      const events: NewDomainEvent[] = notified.map((r) => {
        const { delivery } = commands[deliveryOf.get(r.id)!];
        return {
          aggregateType: 'MobilizationRequest',
          aggregateId: r.id,
          type: 'MobilizationRequestNotified',
          payload: {
            activationId: r.activation_id, memberId: r.member_id, deliveryId: delivery.id, channel: delivery.channel,
            ackDeadline: r.ack_deadline?.toISOString() ?? null,
          },
        };
      });
      await tx.commit([
        // The first delivery starts its activation; its event comes before the requests'.
        [
          `WITH started AS (
             UPDATE activation SET status = $3, updated_at = $2 WHERE id = ANY($1::uuid[]) AND status = ANY($4::text[]) RETURNING id
           )
           ${RECORD_EVENTS}
           SELECT gen_random_uuid(), $2::timestamptz, NULL, $5, 'Activation', id::text, 'ActivationInProgress', jsonb_build_object('at', $6::text) FROM started`,
          [[...new Set(notified.map((r) => r.activation_id))], now, ACTIVATION_LIFECYCLE.start.to, ACTIVATION_LIFECYCLE.start.from, SYSTEM_ACTOR.role, now],
        ],
        this.audit.appendStatement(SYSTEM_ACTOR, events).statement,
      ]);
      const counts = commands.map(() => 0);
      for (const row of notified) counts[deliveryOf.get(row.id)!] += 1;
      return counts;
    });
  }
}

export class RecordDeliveryFailureCommand extends Command<void> {
  constructor(
    readonly requestIds: string[],
    readonly deliveryId: string,
    readonly attempts: number,
    readonly error: string,
    /** The last attempt: no retry follows. */
    readonly final: boolean,
  ) {
    super();
  }
}

/**
 * A delivery attempt failed. The first one starts the acknowledgement deadline all the same
 * (the member may see its requests by polling; escalation must not wait for a webhook that may
 * never answer). The last one is recorded on the requests and told to the crisis cell at once,
 * with the error as the member may read it.
 */
@CommandHandler(RecordDeliveryFailureCommand)
export class RecordDeliveryFailureHandler implements ICommandHandler<RecordDeliveryFailureCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ requestIds, deliveryId, attempts, error, final }: RecordDeliveryFailureCommand): Promise<void> {
    const now = this.clock.now().toISOString();
    const reason = error.slice(0, 1000);
    return this.db.transaction(async (manager) => {
      const [changed]: [{ id: string; activation_id: string; member_id: string; member_name: string; starting: boolean; ack_deadline: Date | null }[]] =
        await manager.query(
          `WITH found AS (
             SELECT id, delivery_started_at IS NULL AS starting FROM mobilization_request
             WHERE id = ANY($1::uuid[]) AND status = ANY($6::text[]) AND notified_at IS NULL
             FOR UPDATE
           )
           UPDATE mobilization_request r
           SET ack_deadline = CASE WHEN f.starting THEN $2::timestamptz + make_interval(mins => r.ack_within_minutes) ELSE r.ack_deadline END,
               delivery_started_at = coalesce(r.delivery_started_at, $2), delivery_attempts = $4,
               delivery_failed_at = CASE WHEN $5 THEN $2::timestamptz ELSE r.delivery_failed_at END,
               delivery_error = CASE WHEN $5 THEN $3 ELSE r.delivery_error END, updated_at = $2
           FROM found f
           WHERE r.id = f.id AND ($5 OR f.starting)
           RETURNING r.id, r.activation_id, r.member_id, (SELECT legal_name FROM member m WHERE m.id = r.member_id) AS member_name,
                     f.starting, r.ack_deadline`,
          [requestIds, now, reason, attempts, final, AWAITING_ACKNOWLEDGEMENT],
        );
      const events: NewDomainEvent[] = changed.flatMap((r) => {
        const recorded: NewDomainEvent[] = [];
        if (r.starting) {
          recorded.push({
            aggregateType: 'MobilizationRequest',
            aggregateId: r.id,
            type: 'MobilizationRequestDeliveryAttempted',
            payload: { activationId: r.activation_id, memberId: r.member_id, deliveryId, attempt: attempts, delivered: false, ackDeadline: r.ack_deadline?.toISOString() ?? null },
          });
        }
        if (final) {
          recorded.push({
            aggregateType: 'MobilizationRequest',
            aggregateId: r.id,
            type: 'MobilizationRequestDeliveryFailed',
            payload: { activationId: r.activation_id, memberId: r.member_id, memberName: r.member_name, deliveryId, attempts, error: reason },
          });
        }
        return recorded;
      });
      await this.audit.append(manager, SYSTEM_ACTOR, events);
    });
  }
}

/** One step of a request's escalation chain: whom it reaches. */
export interface EscalationStep {
  level: number;
  kind: EscalationStepKind;
  contact: { id: string | null; name: string; role: string; phone: string; email: string } | null;
  directorateCode: string | null;
}

export interface Escalation {
  requestId: string;
  activationId: string;
  memberId: string;
  memberName: string;
  level: number;
  step: EscalationStep;
  /** The contact reached, kept under this name for members' webhook consumers. */
  contact: EscalationStep['contact'];
  /** When the next step is due; null past the last step. */
  nextDeadline: string | null;
  ackWithinMinutes: number;
}

export function stepOf(row: Record<string, any>): EscalationStep {
  return {
    level: row.level,
    kind: row.kind,
    contact: row.contact_name === null ? null : { id: row.contact_id, name: row.contact_name, role: row.contact_role, phone: row.contact_phone, email: row.contact_email },
    directorateCode: row.directorate_code,
  };
}

export class FlagLateDeploymentCommand extends Command<{ deployDeadline: string } | null> {
  constructor(readonly requestId: string) {
    super();
  }
}

/**
 * An accepted request not deployed within the convention's time to deploy is flagged late,
 * once: the crisis cell sees it, and the member is reminded (a notice of its own).
 */
@CommandHandler(FlagLateDeploymentCommand)
export class FlagLateDeploymentHandler implements ICommandHandler<FlagLateDeploymentCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ requestId }: FlagLateDeploymentCommand): Promise<{ deployDeadline: string } | null> {
    const now = this.clock.now().toISOString();
    return this.db.transaction(async (manager) => {
      const [[late]]: [{ id: string; activation_id: string; member_id: string; member_name: string; accepted_at: Date; deploy_deadline: Date }[]] =
        await manager.query(
          `UPDATE mobilization_request r SET deployment_late_at = $2, updated_at = $2
           FROM member m
           WHERE r.id = $1 AND m.id = r.member_id AND r.status = $3 AND r.deployment_late_at IS NULL
             AND r.accepted_at + make_interval(mins => r.deploy_within_minutes) <= $2::timestamptz
           RETURNING r.id, r.activation_id, r.member_id, m.legal_name AS member_name, r.accepted_at,
                     r.accepted_at + make_interval(mins => r.deploy_within_minutes) AS deploy_deadline`,
          [requestId, now, REQUEST_LIFECYCLE.deploy.from[0]],
        );
      if (!late) return null;
      const deployDeadline = late.deploy_deadline.toISOString();
      await this.audit.append(manager, SYSTEM_ACTOR, [
        {
          aggregateType: 'MobilizationRequest',
          aggregateId: requestId,
          type: 'MobilizationRequestDeploymentLate',
          payload: { activationId: late.activation_id, memberId: late.member_id, memberName: late.member_name, acceptedAt: late.accepted_at.toISOString(), deployDeadline },
        },
      ]);
      return { deployDeadline };
    });
  }
}
