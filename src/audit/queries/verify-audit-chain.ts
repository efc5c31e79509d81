import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { checkLink, GENESIS_HASH } from '../domain/hash-chain.js';
import type { ChainVerification } from '../dto/audit.dto.js';
import { CHAINED_TEXT_COLUMNS, type ChainedTextRow, sealPendingEvents, toSealedEvent } from '../persistence.js';

export class VerifyAuditChainQuery extends Query<ChainVerification> {}

const BATCH = 5000;

/**
 * Recomputes the whole chain from the first event, reading it in keyset batches so that
 * memory stays flat however long the log is. The hashes are recomputed here, from the
 * fields' text, not by the database function that sealed them. Events committed before the
 * request are sealed first, and verified with the rest.
 */
@QueryHandler(VerifyAuditChainQuery)
export class VerifyAuditChainHandler implements IQueryHandler<VerifyAuditChainQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expected = 1;
    let checked = 0;
    await sealPendingEvents(this.db);
    for (;;) {
      const rows: ChainedTextRow[] = await this.db.query(
        `SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event WHERE sequence >= $1 ORDER BY sequence LIMIT ${BATCH}`,
        [expected],
      );
      for (const row of rows) {
        const event = toSealedEvent(row);
        const broken = checkLink(expected, prevHash, event);
        if (broken) return { valid: false, checked, firstBrokenSequence: broken.sequence, reason: broken.reason };
        prevHash = event.hash;
        expected += 1;
        checked += 1;
      }
      if (rows.length < BATCH) break;
    }
    return { valid: true, checked, headSequence: expected - 1, headHash: prevHash };
  }
}
