import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { parisDay } from '../../common/time/calendar.js';
import { Clock } from '../../common/time/clock.js';

export interface CalendarRun {
  day: string;
  expired: number;
  renewed: number;
  reminded: number;
}

export class RunConventionCalendarCommand extends Command<CalendarRun> {}

/** The conventions the daily pass acts on (`alias`: the convention table's alias): those in force and not suspended. */
export const CALENDAR_SUBJECT = (alias: string) => `${alias}.status = 'ACTIVE'`;
/** What the pass does at a convention's end: a tacitly renewable one is renewed, any other expires. */
export const END_OUTCOME = (alias: string) => `CASE WHEN ${alias}.tacit_renewal THEN 'TACIT_RENEWAL' ELSE 'EXPIRY' END`;

/**
 * The daily pass over conventions, for today in Paris: ACTIVE conventions past their end
 * expire, or are renewed for as many terms as needed when tacitly renewable; those at or past
 * their review date get one review reminder per review date. Set-based, and harmless to run
 * again: what is done leaves nothing to match.
 */
@CommandHandler(RunConventionCalendarCommand)
export class RunConventionCalendarHandler implements ICommandHandler<RunConventionCalendarCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<CalendarRun> {
    const now = this.clock.now();
    const today = parisDay(now);
    return this.db.transaction(async (manager) => {
      const [expired]: [{ id: string; ends_on: string }[]] = await manager.query(
        `UPDATE convention SET status = 'EXPIRED', status_reason = 'end date passed', row_version = row_version + 1, updated_at = $2
         WHERE ${CALENDAR_SUBJECT('convention')} AND NOT tacit_renewal AND ends_on < $1::date
         RETURNING id, ends_on::text`,
        [today, now.toISOString()],
      );
      const [renewed]: [{ id: string; ends_on: string; review_on: string; terms: number }[]] = await manager.query(
        `WITH due AS (
           SELECT id, (($1::date - ends_on) + term_days - 1) / term_days AS terms
           FROM convention WHERE ${CALENDAR_SUBJECT('convention')} AND tacit_renewal AND ends_on < $1::date
           FOR UPDATE
         )
         UPDATE convention c
         SET ends_on = c.ends_on + c.term_days * due.terms, review_on = c.review_on + c.term_days * due.terms,
             renewals = c.renewals + due.terms, review_reminded_for = NULL, row_version = c.row_version + 1, updated_at = $2
         FROM due WHERE c.id = due.id
         RETURNING c.id, c.ends_on::text, c.review_on::text, due.terms`,
        [today, now.toISOString()],
      );
      // UPDATE ... RETURNING answers [rows, count] through TypeORM.
      const [reminded]: [{
        id: string; member_id: string; directorate_code: string; review_on: string; ends_on: string;
        member_contact_ids: string[]; directorate_contact_id: string | null;
      }[]] = await manager.query(
        `UPDATE convention SET review_reminded_for = review_on
         WHERE ${CALENDAR_SUBJECT('convention')} AND review_on <= $1::date AND review_reminded_for IS DISTINCT FROM review_on
         RETURNING id, member_id, directorate_code, review_on::text, ends_on::text, member_contact_ids, directorate_contact_id`,
        [today],
      );

      const events: NewDomainEvent[] = [
        ...expired.map((row) => ({
          aggregateType: 'Convention', aggregateId: row.id, type: 'ConventionExpired',
          payload: { from: 'ACTIVE', to: 'EXPIRED', endsOn: row.ends_on, on: today },
        })),
        ...renewed.map((row) => ({
          aggregateType: 'Convention', aggregateId: row.id, type: 'ConventionRenewed',
          payload: { tacit: true, terms: Number(row.terms), endsOn: row.ends_on, reviewOn: row.review_on, on: today },
        })),
        ...reminded.map((row) => ({
          aggregateType: 'Convention', aggregateId: row.id, type: 'ConventionReviewDue',
          payload: {
            reviewOn: row.review_on, endsOn: row.ends_on, memberId: row.member_id, directorateCode: row.directorate_code,
            memberContactIds: row.member_contact_ids, directorateContactId: row.directorate_contact_id,
          },
        })),
      ];
      await this.audit.append(manager, SYSTEM_ACTOR, events);
      return { day: today, expired: expired.length, renewed: renewed.length, reminded: reminded.length };
    });
  }
}
