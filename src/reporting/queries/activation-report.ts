import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock.js';
import { ActivationNotFoundError } from '../../crisis/domain/crisis.errors.js';
import { timelinessColumns } from './timeliness.js';

export interface Distribution {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  maxSeconds: number | null;
}

export interface Conformance {
  requests: number;
  accepted: number;
  declined: number;
  escalated: number;
  ackOnTime: number;
  ackLate: number;
  ackMissed: number;
  deployOnTime: number;
  deployLate: number;
  deployMissed: number;
}

export interface ActivationReport {
  activationId: string;
  crisisId: string;
  crisisTitle: string;
  exercise: boolean;
  t0: string;
  authorizedAt: string | null;
  status: string;
  requestCount: number;
  countsByStatus: Record<string, number>;
  timeToNotify: Distribution;
  timeToAcknowledge: Distribution;
  timeToAccept: Distribution;
  timeToDeploy: Distribution;
  /** Alerts to people: from the step reached (the alert gathered) to its first message accepted by a mail server or SMS centre. */
  timeToReachPerson: Distribution;
  /** Answers given from an alert: by channel, the person's rank in the chain (n°1 the member's first contact) and the answer. */
  answeredByMessage: { channel: string; contactRank: number; response: string; count: number }[];
  conformance: Conformance;
  byMember: (Conformance & { memberId: string; memberName: string })[];
  byDirectorate: (Conformance & { directorateCode: string })[];
  declineReasons: { reasonCode: string; count: number }[];
  escalations: { requests: number; levels: number };
  requirements: { requirementId: string; position: number; category: string; quantity: number; acceptedQuantity: number; metAt: string | null; metAfterSeconds: number | null }[];
}

/** Per-request figures, computed once in SQL for every aggregate below. */
const REQUEST_FIGURES = `
  WITH r AS (
    SELECT q.*, c.directorate_code, m.legal_name,
      EXTRACT(EPOCH FROM q.notified_at - a.authorized_at)::float8 AS to_notify,
      EXTRACT(EPOCH FROM q.acknowledged_at - q.notified_at)::float8 AS to_acknowledge,
      EXTRACT(EPOCH FROM q.accepted_at - q.notified_at)::float8 AS to_accept,
      EXTRACT(EPOCH FROM q.deployed_at - q.accepted_at)::float8 AS to_deploy
    FROM mobilization_request q
    JOIN activation a ON a.id = q.activation_id
    JOIN convention c ON c.id = q.convention_id
    JOIN member m ON m.id = q.member_id
    WHERE q.activation_id = $1
  )`;

/** Conformance to the committed times: on time, late and missed as every report counts them ($2: now). */
const CONFORMANCE_COLUMNS = `
  count(*)::int AS requests,
  count(*) FILTER (WHERE accepted_at IS NOT NULL)::int AS accepted,
  count(*) FILTER (WHERE declined_at IS NOT NULL)::int AS declined,
  count(*) FILTER (WHERE escalation_level > 0)::int AS escalated,
  ${timelinessColumns('r', '$2')}`;

function distributionColumns(column: string, name: string): string {
  return `count(${column})::int AS "${name}Count",
    percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column}) AS "${name}P50",
    percentile_disc(0.9) WITHIN GROUP (ORDER BY ${column}) AS "${name}P90",
    max(${column}) AS "${name}Max"`;
}

function distribution(row: Record<string, any>, name: string): Distribution {
  return { count: row[`${name}Count`], p50Seconds: row[`${name}P50`], p90Seconds: row[`${name}P90`], maxSeconds: row[`${name}Max`] };
}

export class ActivationReportQuery extends Query<ActivationReport> {
  constructor(readonly activationId: string) {
    super();
  }
}

/** After-action figures of one activation, in a few set-based statements over one snapshot. */
@QueryHandler(ActivationReportQuery)
export class ActivationReportHandler implements IQueryHandler<ActivationReportQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ activationId }: ActivationReportQuery): Promise<ActivationReport> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const report = await this.compute(runner.manager, activationId);
      await runner.commitTransaction();
      return report;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async compute(db: EntityManager, activationId: string): Promise<ActivationReport> {
    const [activation] = await db.query(
      `SELECT a.*, c.title, c.exercise, c.opened_at FROM activation a JOIN crisis c ON c.id = a.crisis_id WHERE a.id = $1`,
      [activationId],
    );
    if (!activation) throw new ActivationNotFoundError(activationId);
    const figures = [activationId, this.clock.now().toISOString()];
    // One connection, one snapshot: the statements run one after another.
    const [[overall], statuses, byMember, byDirectorate, reasons, requirements, [reach], byMessage] = await sequentially([
      () => db.query(
        `${REQUEST_FIGURES} SELECT ${CONFORMANCE_COLUMNS},
           ${distributionColumns('to_notify', 'notify')}, ${distributionColumns('to_acknowledge', 'acknowledge')},
           ${distributionColumns('to_accept', 'accept')}, ${distributionColumns('to_deploy', 'deploy')},
           coalesce(sum(escalation_level), 0)::int AS "escalationLevels"
         FROM r`,
        figures,
      ),
      () => db.query(`SELECT status, count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 GROUP BY status ORDER BY status`, [activationId]),
      () => db.query(`${REQUEST_FIGURES} SELECT member_id AS "memberId", legal_name AS "memberName", ${CONFORMANCE_COLUMNS} FROM r GROUP BY member_id, legal_name ORDER BY legal_name, member_id`, figures),
      () => db.query(`${REQUEST_FIGURES} SELECT directorate_code AS "directorateCode", ${CONFORMANCE_COLUMNS} FROM r GROUP BY directorate_code ORDER BY directorate_code`, figures),
      () => db.query(
        `SELECT decline_reason_code AS "reasonCode", count(*)::int AS count FROM mobilization_request
         WHERE activation_id = $1 AND decline_reason_code IS NOT NULL GROUP BY decline_reason_code ORDER BY count DESC, decline_reason_code`,
        [activationId],
      ),
      () => db.query(
        `SELECT r.id AS "requirementId", r.position, r.category, r.quantity, r.accepted_quantity AS "acceptedQuantity", r.met_at AS "metAt",
                EXTRACT(EPOCH FROM r.met_at - a.authorized_at)::float8 AS "metAfterSeconds"
         FROM activation_requirement r JOIN activation a ON a.id = r.activation_id WHERE r.activation_id = $1 ORDER BY r.position`,
        [activationId],
      ),
      () => db.query(
        `WITH reached AS (
           SELECT EXTRACT(EPOCH FROM min(d.sent_at) - a.created_at)::float8 AS to_reach
           FROM contact_alert a JOIN channel_delivery d ON d.alert_id = a.id
           WHERE a.activation_id = $1 AND d.sent_at IS NOT NULL GROUP BY a.id, a.created_at
         )
         SELECT ${distributionColumns('to_reach', 'reach')} FROM reached`,
        [activationId],
      ),
      () => db.query(
        `SELECT a.channel, a.level + 1 AS "contactRank", a.response, count(*)::int AS count
         FROM message_answer a JOIN mobilization_request r ON r.id = a.request_id
         WHERE r.activation_id = $1 GROUP BY a.channel, a.level, a.response ORDER BY a.channel, a.level, a.response`,
        [activationId],
      ),
    ]);
    const conformanceOf = (row: Record<string, any>): Conformance => ({
      requests: row.requests, accepted: row.accepted, declined: row.declined, escalated: row.escalated,
      ackOnTime: row.ackOnTime, ackLate: row.ackLate, ackMissed: row.ackMissed,
      deployOnTime: row.deployOnTime, deployLate: row.deployLate, deployMissed: row.deployMissed,
    });
    return {
      activationId,
      crisisId: activation.crisis_id,
      crisisTitle: activation.title,
      exercise: activation.exercise,
      t0: activation.opened_at.toISOString(),
      authorizedAt: activation.authorized_at?.toISOString() ?? null,
      status: activation.status,
      requestCount: activation.request_count,
      countsByStatus: Object.fromEntries(statuses.map((row: { status: string; count: number }) => [row.status, row.count])),
      timeToNotify: distribution(overall, 'notify'),
      timeToAcknowledge: distribution(overall, 'acknowledge'),
      timeToAccept: distribution(overall, 'accept'),
      timeToDeploy: distribution(overall, 'deploy'),
      timeToReachPerson: distribution(reach, 'reach'),
      answeredByMessage: byMessage,
      conformance: conformanceOf(overall),
      byMember: byMember.map((row: Record<string, any>) => ({ memberId: row.memberId, memberName: row.memberName, ...conformanceOf(row) })),
      byDirectorate: byDirectorate.map((row: Record<string, any>) => ({ directorateCode: row.directorateCode, ...conformanceOf(row) })),
      declineReasons: reasons,
      escalations: { requests: overall.escalated, levels: overall.escalationLevels },
      requirements: requirements.map((row: Record<string, any>) => ({ ...row, metAt: row.metAt?.toISOString() ?? null })),
    };
  }
}

async function sequentially(steps: (() => Promise<any>)[]): Promise<any[]> {
  const results: any[] = [];
  for (const step of steps) results.push(await step());
  return results;
}

export const REPORT_CSV_COLUMNS: (keyof ActivationReport['byMember'][number])[] = [
  'memberId', 'memberName', 'requests', 'accepted', 'declined', 'escalated',
  'ackOnTime', 'ackLate', 'ackMissed', 'deployOnTime', 'deployLate', 'deployMissed',
];
