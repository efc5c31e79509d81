import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH } from '../domain/hash-chain.js';
import type { AuditHead } from '../dto/audit.dto.js';
import { sealPendingEvents } from '../persistence.js';

export class GetAuditHeadQuery extends Query<AuditHead> {}

@QueryHandler(GetAuditHeadQuery)
export class GetAuditHeadHandler implements IQueryHandler<GetAuditHeadQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<AuditHead> {
    await sealPendingEvents(this.db);
    const [head] = await this.db.query(`SELECT sequence, hash, occurred_at FROM audit_event ORDER BY sequence DESC LIMIT 1`);
    if (!head) return { sequence: 0, hash: GENESIS_HASH, occurredAt: null };
    return { sequence: Number(head.sequence), hash: head.hash, occurredAt: (head.occurred_at as Date).toISOString() };
  }
}
