import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery errors shown to members say no more than "not delivered" and the HTTP status of a
 * public endpoint. Errors recorded before held the technical reason (host, port, system error),
 * which told a member which internal addresses answer: they are summarized. Whether the endpoint
 * was public then cannot be known now, so they keep no status. The audit log, append-only, keeps
 * its events as they were; members cannot read it.
 */
export class SummarizedDeliveryErrors1795300800000 implements MigrationInterface {
  name = 'SummarizedDeliveryErrors1795300800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE mobilization_request SET delivery_error = 'Not delivered' WHERE delivery_error IS NOT NULL AND delivery_error NOT LIKE 'Not delivered%'`);
  }

  async down(): Promise<void> {
    // The technical reasons are not kept: nothing to restore.
  }
}
