import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
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
}

export interface HistoryReport {
  subject: { kind: 'member' | 'convention'; id: string };
  /** Real crises and exercises, never mixed. */
  real: HistoryFigures;
  exercise: HistoryFigures;
  history: (Omit<HistoryFigures, 'activations'> & { activationId: string; crisisId: string; crisisTitle: string; exercise: boolean; authorizedAt: string | null })[];
}

/** Per activation or in total; on time, late and missed as every report counts them ($2: now). */
const FIGURES = `
  count(*)::int AS requests,
  count(*) FILTER (WHERE q.accepted_at IS NOT NULL)::int AS accepted,
  count(*) FILTER (WHERE q.declined_at IS NOT NULL)::int AS declined,
  ${timelinessColumns('q', '$2')}`;

function withRate<T extends { accepted: number; declined: number }>(row: T): T & { declineRate: number | null } {
  const answered = row.accepted + row.declined;
  return { ...row, declineRate: answered === 0 ? null : Math.round((row.declined / answered) * 10_000) / 10_000 };
}

const EMPTY = { activations: 0, requests: 0, accepted: 0, declined: 0, ackOnTime: 0, ackLate: 0, ackMissed: 0, deployOnTime: 0, deployLate: 0, deployMissed: 0 };

export class HistoryReportQuery extends Query<HistoryReport> {
  constructor(
    readonly actor: Actor,
    readonly subject: { kind: 'member' | 'convention'; id: string },
  ) {
    super();
  }
}

/**
 * A member's or a convention's record across activations: history, then totals with real
 * crises and exercises kept apart. A member reads only its own, a directorate only the
 * conventions it is party to.
 */
@QueryHandler(HistoryReportQuery)
export class HistoryReportHandler implements IQueryHandler<HistoryReportQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, subject }: HistoryReportQuery): Promise<HistoryReport> {
    await this.assertMaySee(actor, subject);
    const column = subject.kind === 'member' ? 'q.member_id' : 'q.convention_id';
    const parameters = [subject.id, this.clock.now().toISOString()];
    const [history, totals] = await Promise.all([
      this.db.query(
        `SELECT a.id AS "activationId", c.id AS "crisisId", c.title AS "crisisTitle", c.exercise, a.authorized_at AS "authorizedAt", ${FIGURES}
         FROM mobilization_request q JOIN activation a ON a.id = q.activation_id JOIN crisis c ON c.id = a.crisis_id
         WHERE ${column} = $1 GROUP BY a.id, c.id ORDER BY a.authorized_at, a.id`,
        parameters,
      ),
      this.db.query(
        `SELECT c.exercise, count(DISTINCT a.id)::int AS activations, ${FIGURES}
         FROM mobilization_request q JOIN activation a ON a.id = q.activation_id JOIN crisis c ON c.id = a.crisis_id
         WHERE ${column} = $1 GROUP BY c.exercise`,
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

  private async assertMaySee(actor: Actor, subject: { kind: 'member' | 'convention'; id: string }): Promise<void> {
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
