import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { Clock } from '../../common/time/clock.js';
import type { ActivationsOverviewFilter } from '../dto/reporting.dto.js';
import { FIGURES, type HistoryFigures, withRate } from './history-reports.js';

export interface ActivationOverview extends Omit<HistoryFigures, 'activations'> {
  activationId: string;
  crisisId: string;
  crisisTitle: string;
  exercise: boolean;
  status: string;
  decisionReference: string;
  preparedAt: string;
  authorizedAt: string | null;
}

export class ActivationsOverviewQuery extends Query<Page<ActivationOverview>> {
  constructor(readonly filter: ActivationsOverviewFilter) {
    super();
  }
}

/**
 * Every activation with its figures, latest first, real crises and exercises told apart (and
 * filtered on demand): one grouped statement over the requests, whatever the number of activations.
 */
@QueryHandler(ActivationsOverviewQuery)
export class ActivationsOverviewHandler implements IQueryHandler<ActivationsOverviewQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ filter }: ActivationsOverviewQuery): Promise<Page<ActivationOverview>> {
    const exercise = filter.exercise === undefined ? null : filter.exercise === 'true';
    const parameters = [exercise, this.clock.now().toISOString()];
    const where = `WHERE ($1::boolean IS NULL OR c.exercise = $1::boolean)`;
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT a.id AS "activationId", c.id AS "crisisId", c.title AS "crisisTitle", c.exercise, a.status, a.decision_reference AS "decisionReference",
                a.prepared_at AS "preparedAt", a.authorized_at AS "authorizedAt", ${FIGURES}
         FROM activation a JOIN crisis c ON c.id = a.crisis_id LEFT JOIN mobilization_request q ON q.activation_id = a.id
         ${where}
         GROUP BY a.id, c.id ORDER BY a.prepared_at DESC, a.id LIMIT ${filter.pageSize} OFFSET ${offsetOf(filter)}`,
        parameters,
      ),
      this.db.query(`SELECT count(*)::int AS total FROM activation a JOIN crisis c ON c.id = a.crisis_id ${where}`, [exercise]),
    ]);
    return {
      items: rows.map((row: Record<string, any>) =>
        withRate({ ...row, preparedAt: row.preparedAt.toISOString(), authorizedAt: row.authorizedAt?.toISOString() ?? null } as ActivationOverview),
      ),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}
