import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many of an activation's requirements are met, on the activation row: the accept that
 * meets a requirement counts it there in the statement that accepts, under the activation's
 * row lock, so of two accepts meeting the last two requirements at once the second sees the
 * first's count and fulfils the activation.
 */
export class RequirementsMet1795300600000 implements MigrationInterface {
  name = 'RequirementsMet1795300600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE activation ADD COLUMN requirements_met int NOT NULL DEFAULT 0 CONSTRAINT activation_requirements_met_check CHECK (requirements_met >= 0)`);
    await db.query(`
      UPDATE activation a SET requirements_met = (SELECT count(*) FROM activation_requirement r WHERE r.activation_id = a.id AND r.met_at IS NOT NULL)
      WHERE EXISTS (SELECT 1 FROM activation_requirement r WHERE r.activation_id = a.id AND r.met_at IS NOT NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE activation DROP COLUMN requirements_met`);
  }
}
