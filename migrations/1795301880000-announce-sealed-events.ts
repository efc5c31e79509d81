import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that seals events into the chain announces the highest sequence it sealed on
 * the channel `audit_event_sealed` (`pg_notify`, sent when its transaction commits): every API
 * process listens on one connection and reads what is new for the live activation streams.
 * Sealing is the announcer, not the commands: a NOTIFY serializes the commits of the
 * transactions that issue one, and sealing is serialized already (the chain lock), while the
 * commands that record events must not be.
 */
export class AnnounceSealedEvents1795301880000 implements MigrationInterface {
  name = 'AnnounceSealedEvents1795301880000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION audit_event_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_sequence bigint;
      BEGIN
        SELECT max(sequence) INTO last_sequence FROM sealed;
        IF last_sequence IS NOT NULL THEN
          PERFORM pg_notify('audit_event_sealed', last_sequence::text);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_announce AFTER INSERT ON audit_event
      REFERENCING NEW TABLE AS sealed FOR EACH STATEMENT EXECUTE FUNCTION audit_event_announce()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER audit_event_announce ON audit_event`);
    await db.query(`DROP FUNCTION audit_event_announce()`);
  }
}
