import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { addDays, parisDay } from '../../common/time/calendar.js';
import { Clock } from '../../common/time/clock.js';
import { visibilityScope } from '../access.js';
import { CALENDAR_SUBJECT, END_OUTCOME } from '../commands/run-convention-calendar.js';

export type CalendarEventKind = 'REVIEW' | 'EXPIRY' | 'TACIT_RENEWAL';

export interface CalendarEntry {
  conventionId: string;
  lineageId: string;
  version: number;
  memberId: string;
  memberName: string;
  directorateCode: string;
  kind: CalendarEventKind;
  /** The review date, or the last day in force. */
  on: string;
  /** Days from today (Paris) to `on`; negative for a review already due. */
  inDays: number;
  reviewOn: string;
  endsOn: string;
  tacitRenewal: boolean;
}

export interface ConventionCalendar {
  from: string;
  to: string;
  items: CalendarEntry[];
}

export class ConventionCalendarQuery extends Query<ConventionCalendar> {
  constructor(
    readonly actor: Actor,
    readonly days: number,
  ) {
    super();
  }
}

/**
 * What the nightly calendar pass will meet in the next days, for the caller's conventions: the
 * reviews due (one already due and not past the end included) and the ends, each with what the pass
 * will do then (expire it, or renew it tacitly). The same conventions and the same outcome rule as the pass.
 */
@QueryHandler(ConventionCalendarQuery)
export class ConventionCalendarHandler implements IQueryHandler<ConventionCalendarQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, days }: ConventionCalendarQuery): Promise<ConventionCalendar> {
    const from = parisDay(this.clock.now());
    const to = addDays(from, days);
    const params: unknown[] = [from, to];
    const own = visibilityScope(actor);
    const scope = [
      own.memberId ? `AND c.member_id = $${params.push(own.memberId)}::uuid` : '',
      own.directorateCode ? `AND c.directorate_code = $${params.push(own.directorateCode)}` : '',
    ].join(' ');
    const columns = `c.id AS "conventionId", c.lineage_id AS "lineageId", c.version, c.member_id AS "memberId", m.legal_name AS "memberName",
      c.directorate_code AS "directorateCode", c.review_on::text AS "reviewOn", c.ends_on::text AS "endsOn", c.tacit_renewal AS "tacitRenewal"`;
    const rows: CalendarEntry[] = await this.db.query(
      `SELECT * FROM (
         SELECT ${columns}, 'REVIEW' AS kind, c.review_on::text AS "on", (c.review_on - $1::date) AS "inDays"
         FROM convention c JOIN member m ON m.id = c.member_id
         WHERE ${CALENDAR_SUBJECT('c')} AND c.review_on <= $2::date AND c.ends_on >= $1::date ${scope}
         UNION ALL
         SELECT ${columns}, ${END_OUTCOME('c')} AS kind, c.ends_on::text AS "on", (c.ends_on - $1::date) AS "inDays"
         FROM convention c JOIN member m ON m.id = c.member_id
         WHERE ${CALENDAR_SUBJECT('c')} AND c.ends_on BETWEEN $1::date AND $2::date ${scope}
       ) due ORDER BY "on", kind, "conventionId"`,
      params,
    );
    return { from, to, items: rows.map((row) => ({ ...row, inDays: Number(row.inDays) })) };
  }
}
