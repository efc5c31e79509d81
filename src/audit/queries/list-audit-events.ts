import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import type { AuditEventsFilter, AuditEventView } from '../dto/audit.dto.js';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow, sealPendingEvents, toStoredEvent } from '../persistence.js';

export class ListAuditEventsQuery extends Query<Page<AuditEventView>> {
  constructor(readonly filter: AuditEventsFilter) {
    super();
  }
}

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  const event = toStoredEvent(row);
  return { ...event, occurredAt: event.occurredAt.toISOString() };
}

@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ filter }: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.aggregateId) where('aggregate_id = ?', filter.aggregateId);
    if (filter.aggregateType) where('aggregate_type = ?', filter.aggregateType);
    if (filter.type) where('type = ?', filter.type);
    if (filter.actorId) where('actor_id = ?', filter.actorId);
    if (filter.fromSequence) where('sequence >= ?', filter.fromSequence);
    if (filter.toSequence) where('sequence <= ?', filter.toSequence);
    if (filter.from) where('occurred_at >= ?', filter.from);
    if (filter.to) where('occurred_at < ?', filter.to);
    const clause = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = filter.order === 'desc' ? 'DESC' : 'ASC';

    await sealPendingEvents(this.db);

    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_event ${clause} ORDER BY sequence ${order} LIMIT ${filter.pageSize} OFFSET ${offsetOf(filter)}`,
        params,
      ),
      this.db.query(`SELECT count(*)::int AS total FROM audit_event ${clause}`, params),
    ]);
    return { items: (rows as AuditEventRow[]).map(toAuditEventView), total, page: filter.page, pageSize: filter.pageSize };
  }
}
