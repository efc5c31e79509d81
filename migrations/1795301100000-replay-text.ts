import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotent replay answers the first response byte for byte: the body is kept as the text
 * that was sent, not as `jsonb`, which reorders an object's keys (shortest first) and drops
 * duplicate whitespace. Bodies stored before keep jsonb's order: it cannot be recovered.
 */
export class ReplayText1795301100000 implements MigrationInterface {
  name = 'ReplayText1795301100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_key ALTER COLUMN response_body TYPE text USING response_body::text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_key ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb`);
  }
}
