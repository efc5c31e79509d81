import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { CHECKPOINT_COLUMNS, toSignedCheckpoint } from '../checkpoints/checkpoint-store.js';
import type { SignedCheckpoint } from '../domain/checkpoint.js';
import type { AuditCheckpointsFilter } from '../dto/checkpoint.dto.js';

export class ListAuditCheckpointsQuery extends Query<Page<SignedCheckpoint>> {
  constructor(readonly filter: AuditCheckpointsFilter) {
    super();
  }
}

/** The signed checkpoints, latest first. */
@QueryHandler(ListAuditCheckpointsQuery)
export class ListAuditCheckpointsHandler implements IQueryHandler<ListAuditCheckpointsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ filter }: ListAuditCheckpointsQuery): Promise<Page<SignedCheckpoint>> {
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY sequence DESC, signed_at DESC LIMIT ${filter.pageSize} OFFSET ${offsetOf(filter)}`),
      this.db.query(`SELECT count(*)::int AS total FROM audit_checkpoint`),
    ]);
    return { items: rows.map(toSignedCheckpoint), total, page: filter.page, pageSize: filter.pageSize };
  }
}
