import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reading an activation's thread out of the audit log: events carry the activation in their payload. */
export class AfterAction1795300400000 implements MigrationInterface {
  name = 'AfterAction1795300400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX audit_event_activation_idx ON audit_event ((payload->>'activationId'), sequence) WHERE payload ? 'activationId'`,
    );
    await db.query(`CREATE INDEX mobilization_request_convention_idx ON mobilization_request (convention_id, activation_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mobilization_request_convention_idx`);
    await db.query(`DROP INDEX audit_event_activation_idx`);
  }
}
