import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A second factor for signing in: one TOTP secret per user (encrypted by the service before it is
 * stored; pending until a first code confirms it), the last time step a code was accepted for (a
 * code is good once), and single-use recovery codes, kept only as hashes.
 */
export class SecondFactor1795301300000 implements MigrationInterface {
  name = 'SecondFactor1795301300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_second_factor (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        encrypted_secret text NOT NULL,
        confirmed_at timestamptz,
        last_time_step integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE user_recovery_code (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, code_hash)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE user_recovery_code`);
    await db.query(`DROP TABLE user_second_factor`);
  }
}
