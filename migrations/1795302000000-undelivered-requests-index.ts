import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index on PENDING requests by creation time was used by no query: the sweeper looks for
 * requests no delivery reached, whatever their status while they wait (PENDING, NOTIFIED,
 * ESCALATED) and without a delivery (`notified_at IS NULL`), and with that index it read the whole
 * table every 30 s. This one holds exactly those requests: a fan-out writes each once, its delivery
 * takes it out, and the sweeper's query is an index range scan however long the history grows
 * (`EXPLAIN` in docs/benchmarks.md). Answers never write to it.
 */
export class UndeliveredRequestsIndex1795302000000 implements MigrationInterface {
  name = 'UndeliveredRequestsIndex1795302000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mobilization_request_pending_idx`);
    await db.query(
      `CREATE INDEX mobilization_request_undelivered_idx ON mobilization_request (created_at)
       WHERE notified_at IS NULL AND status IN ('PENDING', 'NOTIFIED', 'ESCALATED')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mobilization_request_undelivered_idx`);
    await db.query(`CREATE INDEX mobilization_request_pending_idx ON mobilization_request (created_at) WHERE status = 'PENDING'`);
  }
}
