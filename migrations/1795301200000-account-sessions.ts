import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts can be disabled, and their tokens ended before they expire: every token carries the
 * user's token version, and any change that must end the user's sessions (disable, role or
 * binding change, password change, logout) raises it.
 */
export class AccountSessions1795301200000 implements MigrationInterface {
  name = 'AccountSessions1795301200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0, ADD COLUMN disabled_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN token_version, DROP COLUMN disabled_at`);
  }
}
