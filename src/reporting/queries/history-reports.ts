import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { DirectorateNotFoundError } from '../../registry/domain/registry.errors.js';
import { timelinessColumns } from './timeliness.js';

export interface HistoryFigures {
  activations: number;
  requests: number;
  accepted: number;
  declined: number;
  ackOnTime: number;
  ackLate: number;
  ackMissed: number;
  deployOnTime: number;
  deployLate: number;
  deployMissed: number;
  /** declined / (accepted + declined), null when nothing was answered. */
  declineRate: number | null;
  /** The committed times of the requests' conventions (median, in minutes) against the measured ones (seconds). */
  committedAckMinutes: number | null;
  ackSecondsP50: number | null;
  ackSecondsP90: number | null;
  committedDeployMinutes: number | null;
  deploySecondsP50: number | null;
  deploySecondsP90: number | null;
}

export type HistorySubjectKind = 'member' | 'convention' | 'directorate';

export interface HistoryReport {
  subject: { kind: HistorySubjectKind; id: string };
  /** Real crises and exercises, never mixed. */
  real: HistoryFigures;
  exercise: HistoryFigures;
  history: (Omit<HistoryFigures, 'activations'> & { activationId: string; crisisId: string; crisisTitle: string; exercise: boolean; authorizedAt: string | null })[];
}

const ACK_SECONDS = 'EXTRACT(EPOCH FROM q.acknowledged_at - q.notified_at)::float8';
const DEPLOY_SECONDS = 'EXTRACT(EPOCH FROM q.deployed_at - q.accepted_at)::float8';

/**
 * Per activation or in total, over rows `q` of mobilization_request (none, for an activation that
 * asked nothing); on time, late and missed as every report counts them ($2: now). Committed times
 * are the medians of what the requests' conventions committed to; measured ones are observed values.
 */
export const FIGURES = `
  count(q.id)::int AS requests,
  count(*) FILTER (WHERE q.accepted_at IS NOT NULL)::int AS accepted,
  count(*) FILTER (WHERE q.declined_at IS NOT NULL)::int AS declined,
  ${timelinessColumns('q', '$2')},
  percentile_disc(0.5) WITHIN GROUP (ORDER BY q.ack_within_minutes) AS "committedAckMinutes",
  percentile_disc(0.5) WITHIN GROUP (ORDER BY ${ACK_SECONDS}) AS "ackSecondsP50",
  percentile_disc(0.9) WITHIN GROUP (ORDER BY ${ACK_SECONDS}) AS "ackSecondsP90",
  percentile_disc(0.5) WITHIN GROUP (ORDER BY q.deploy_within_minutes) AS "committedDeployMinutes",
  percentile_disc(0.5) WITHIN GROUP (ORDER BY ${DEPLOY_SECONDS}) AS "deploySecondsP50",
  percentile_disc(0.9) WITHIN GROUP (ORDER BY ${DEPLOY_SECONDS}) AS "deploySecondsP90"`;

export function withRate<T extends { accepted: number; declined: number }>(row: T): T & { declineRate: number | null } {
  const answered = row.accepted + row.declined;
  return { ...row, declineRate: answered === 0 ? null : Math.round((row.declined / answered) * 10_000) / 10_000 };
}

const EMPTY = {
  activations: 0, requests: 0, accepted: 0, declined: 0, ackOnTime: 0, ackLate: 0, ackMissed: 0, deployOnTime: 0, deployLate: 0, deployMissed: 0,
  committedAckMinutes: null, ackSecondsP50: null, ackSecondsP90: null, committedDeployMinutes: null, deploySecondsP50: null, deploySecondsP90: null,
};

/** Which requests a report is about ($1: the subject's id or code). */
const SUBJECT_REQUESTS: Record<HistorySubjectKind, string> = {
  member: 'q.member_id = $1::uuid',
  convention: 'q.convention_id = $1::uuid',
  directorate: 'q.convention_id IN (SELECT id FROM convention WHERE directorate_code = $1)',
};

export class HistoryReportQuery extends Query<HistoryReport> {
  constructor(
    readonly actor: Actor,
    readonly subject: { kind: HistorySubjectKind; id: string },
  ) {
    super();
  }
}

/**
 * A member's, a convention's or a directorate's record across activations: history, then totals
 * with real crises and exercises kept apart. A member reads only its own, a directorate only the
 * conventions it is party to and its own record.
 */
@QueryHandler(HistoryReportQuery)
export class HistoryReportHandler implements IQueryHandler<HistoryReportQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, subject }: HistoryReportQuery): Promise<HistoryReport> {
    await this.assertMaySee(actor, subject);
    const requests = SUBJECT_REQUESTS[subject.kind];
    const parameters = [subject.id, this.clock.now().toISOString()];
    const [history, totals] = await Promise.all([
      this.db.query(
        `SELECT a.id AS "activationId", c.id AS "crisisId", c.title AS "crisisTitle", c.exercise, a.authorized_at AS "authorizedAt", ${FIGURES}
         FROM mobilization_request q JOIN activation a ON a.id = q.activation_id JOIN crisis c ON c.id = a.crisis_id
         WHERE ${requests} GROUP BY a.id, c.id ORDER BY a.authorized_at, a.id`,
        parameters,
      ),
      this.db.query(
        `SELECT c.exercise, count(DISTINCT a.id)::int AS activations, ${FIGURES}
         FROM mobilization_request q JOIN activation a ON a.id = q.activation_id JOIN crisis c ON c.id = a.crisis_id
         WHERE ${requests} GROUP BY c.exercise`,
        parameters,
      ),
    ]);
    const total = (exercise: boolean) => withRate({ ...EMPTY, ...(totals.find((row: { exercise: boolean }) => row.exercise === exercise) ?? {}) });
    const { exercise: _e, ...real } = total(false) as HistoryFigures & { exercise?: boolean };
    const { exercise: _x, ...exercise } = total(true) as HistoryFigures & { exercise?: boolean };
    return {
      subject,
      real,
      exercise,
      history: history.map((row: Record<string, any>) => withRate({ ...row, authorizedAt: row.authorizedAt?.toISOString() ?? null } as HistoryReport['history'][number])),
    };
  }

  private async assertMaySee(actor: Actor, subject: { kind: HistorySubjectKind; id: string }): Promise<void> {
    if (subject.kind === 'directorate') {
      const [directorate] = await this.db.query(`SELECT code FROM directorate WHERE code = $1`, [subject.id]);
      if (!directorate || actor.role === 'MEMBER' || (actor.role === 'DIRECTORATE' && actor.directorateCode !== subject.id)) {
        throw new DirectorateNotFoundError(subject.id);
      }
      return;
    }
    const notFound = new NotFoundError(`${subject.kind.toUpperCase()}.NOT_FOUND`, `No ${subject.kind} with id ${subject.id}`);
    if (subject.kind === 'member') {
      const [member] = await this.db.query(`SELECT id FROM member WHERE id = $1`, [subject.id]);
      if (!member || (actor.role === 'MEMBER' && actor.memberId !== subject.id)) throw notFound;
      if (actor.role === 'DIRECTORATE') throw notFound;
      return;
    }
    const [convention] = await this.db.query(`SELECT member_id, directorate_code FROM convention WHERE id = $1`, [subject.id]);
    if (!convention) throw notFound;
    if (actor.role === 'MEMBER' && actor.memberId !== convention.member_id) throw notFound;
    if (actor.role === 'DIRECTORATE' && actor.directorateCode !== convention.directorate_code) throw notFound;
  }
}
