import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RECORD_EVENTS } from '../../audit/persistence.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { type EscalationStepKind, REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';

/** The most requests one statement escalates: one transaction of a few hundred milliseconds at most. */
export const ESCALATION_BATCH = 5000;

const CRISIS_CELL: EscalationStepKind = 'CRISIS_CELL';

export interface EscalationSweepResult {
  /** Requests moved one step along their chain. */
  escalated: number;
  /** Escalating statements run, each its own transaction. */
  statements: number;
}

export class EscalateDueRequestsCommand extends Command<EscalationSweepResult> {
  constructor(readonly batchSize = ESCALATION_BATCH) {
    super();
  }
}

/**
 * One statement moves a batch of requests one step along their chain, with the step reached and
 * the events, in its own transaction. Due: waiting for an acknowledgement, its delivery started
 * (the deadline runs from the first attempt) and its deadline passed. The requests are locked
 * SKIP LOCKED: two sweeps running at once (two worker processes) share the due requests between
 * them and never escalate one twice; a request a member is answering at that moment is left to
 * the next sweep, which finds it answered or still due. The step taken is the request's level + 1
 * rechecked on the row as locked, so a sweep that read it before another one moved it takes nothing.
 * The next deadline runs from now; past the last step (the crisis cell, which is told the chain is
 * exhausted) there is none.
 */
const ESCALATE_DUE = `
  WITH due AS (
    SELECT r.id FROM mobilization_request r
    WHERE r.status = ANY($2::text[]) AND r.ack_deadline <= $1::timestamptz AND r.delivery_started_at IS NOT NULL
    ORDER BY r.ack_deadline
    LIMIT $4
    FOR UPDATE SKIP LOCKED
  ), escalated AS (
    UPDATE mobilization_request r
    SET status = $3, escalation_level = s.level, last_escalated_at = $1, updated_at = $1,
        ack_deadline = CASE WHEN EXISTS (SELECT 1 FROM mobilization_request_step n WHERE n.request_id = r.id AND n.level = s.level + 1)
                            THEN $1::timestamptz + make_interval(mins => r.ack_within_minutes) END,
        chain_exhausted_at = CASE WHEN s.kind = $6 THEN $1::timestamptz ELSE r.chain_exhausted_at END
    FROM due d JOIN mobilization_request_step s ON s.request_id = d.id
    WHERE r.id = d.id AND s.level = r.escalation_level + 1
    RETURNING r.id, r.activation_id, r.member_id, r.escalation_level AS level, r.ack_deadline, r.ack_within_minutes, s.kind,
              jsonb_build_object(
                'level', s.level, 'kind', s.kind, 'directorateCode', s.directorate_code,
                'contact', CASE WHEN s.contact_name IS NOT NULL THEN jsonb_build_object(
                  'id', s.contact_id, 'name', s.contact_name, 'role', s.contact_role, 'phone', s.contact_phone, 'email', s.contact_email) END
              ) AS step
  ), reached AS (
    UPDATE mobilization_request_step s SET reached_at = $1 FROM escalated e WHERE s.request_id = e.id AND s.level = e.level
  ), recorded AS (
    -- A member's events together: the relay hands them over in batches, and a member's notices
    -- go out in one job per batch.
    ${RECORD_EVENTS}
    SELECT gen_random_uuid(), $1::timestamptz, NULL::uuid, $5, 'MobilizationRequest', e.id::text, x.type, x.payload
    FROM escalated e JOIN member m ON m.id = e.member_id
    CROSS JOIN LATERAL (VALUES
      (1, 'MobilizationRequestEscalated', jsonb_build_object(
        'requestId', e.id, 'activationId', e.activation_id, 'memberId', e.member_id, 'memberName', m.legal_name, 'level', e.level,
        'step', e.step, 'contact', e.step->'contact', 'ackWithinMinutes', e.ack_within_minutes,
        'nextDeadline', to_char(e.ack_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
      (2, 'MobilizationRequestChainExhausted', CASE WHEN e.kind = $6 THEN jsonb_build_object(
        'activationId', e.activation_id, 'memberId', e.member_id, 'memberName', m.legal_name, 'levels', e.level,
        'message', 'No answer from member ' || m.legal_name || ' after its whole chain') END)
    ) AS x(n, type, payload)
    WHERE x.payload IS NOT NULL
    ORDER BY e.member_id, e.id, x.n
  )
  SELECT count(*)::int AS escalated FROM escalated`;

/**
 * At the deadline, a request still unacknowledged moves to the next step of the chain it took
 * when it was created: the member's next contact, then the convention's directorate contact,
 * then the crisis cell, which is told that the member did not answer after its whole chain.
 * Each step's deadline is the convention's time to acknowledge. Deadlines are data (the partial
 * index mobilization_request_ack_deadline_idx): every request due is escalated by a statement of
 * up to `batchSize`, batch after batch until none is due, each batch with its events
 * (MobilizationRequestEscalated, and MobilizationRequestChainExhausted at the crisis cell) in its
 * transaction. The relay then hands those events, in batches, to the notices and alerts. Idempotent:
 * a request escalates only once its deadline passed, and then its deadline moves on or is gone.
 */
@CommandHandler(EscalateDueRequestsCommand)
export class EscalateDueRequestsHandler implements ICommandHandler<EscalateDueRequestsCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ batchSize }: EscalateDueRequestsCommand): Promise<EscalationSweepResult> {
    // One "now" for the whole sweep: a request escalated by a batch is not due again in the next.
    const now = this.clock.now().toISOString();
    const { from, to } = REQUEST_LIFECYCLE.escalate;
    const result: EscalationSweepResult = { escalated: 0, statements: 0 };
    for (;;) {
      const [{ escalated }]: { escalated: number }[] = await this.db.query(ESCALATE_DUE, [now, from, to, batchSize, SYSTEM_ACTOR.role, CRISIS_CELL]);
      result.escalated += escalated;
      result.statements += 1;
      // Fewer than a batch: none left due, or the rest locked by another sweep, which escalates them.
      if (escalated < batchSize) return result;
    }
  }
}
