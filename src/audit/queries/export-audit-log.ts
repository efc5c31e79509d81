import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SealedEvent } from '../domain/hash-chain.js';
import { CHAINED_TEXT_COLUMNS, type ChainedTextRow, sealPendingEvents, toSealedEvent } from '../persistence.js';

export class ExportAuditLogQuery extends Query<AsyncIterable<SealedEvent>> {}

const FETCH = 1000;

/**
 * The whole log, as the chain hashes it (each field in its hashed text form, the payload as the
 * text `jsonb` prints), for a verifier that recomputes the hashes without the service
 * (`npm run audit:verify`). Read through a cursor in one repeatable-read snapshot: memory holds
 * one fetch at a time, and the export is one consistent log however long it takes to send.
 */
@QueryHandler(ExportAuditLogQuery)
export class ExportAuditLogHandler implements IQueryHandler<ExportAuditLogQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<AsyncIterable<SealedEvent>> {
    await sealPendingEvents(this.db);
    return this.events();
  }

  /** Takes its connection at the first read, so that an export never read holds none. */
  private async *events(): AsyncGenerator<SealedEvent> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`DECLARE audit_export NO SCROLL CURSOR FOR SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event ORDER BY sequence`);
      for (;;) {
        const rows = (await runner.query(`FETCH ${FETCH} FROM audit_export`)) as ChainedTextRow[];
        for (const row of rows) yield toSealedEvent(row);
        if (rows.length < FETCH) break;
      }
    } finally {
      // Read only: ending the transaction closes the cursor.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
