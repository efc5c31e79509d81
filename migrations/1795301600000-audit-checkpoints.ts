import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain: the head's sequence and hash, signed with an Ed25519
 * key kept outside the database. A superuser can rewrite the chain and re-hash it, but cannot
 * sign the new head; the checkpoints (here, and in a file outside the database) contradict it.
 * One checkpoint per sequence and key: none is made while the head does not move, and a new key
 * (after a rotation) signs heads of its own.
 */
export class AuditCheckpoints1795301600000 implements MigrationInterface {
  name = 'AuditCheckpoints1795301600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_checkpoint (
        sequence bigint NOT NULL CHECK (sequence > 0),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (sequence, key_id)
      )`);
    await db.query(`CREATE INDEX audit_checkpoint_signed_at ON audit_checkpoint (signed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_checkpoint`);
  }
}
