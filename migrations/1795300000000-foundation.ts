import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, the hash-chained audit log (also the outbox), its relay cursor and idempotency keys. */
export class Foundation1795300000000 implements MigrationInterface {
  name = 'Foundation1795300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL,
        member_id uuid NULL,
        directorate_code text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_role_check CHECK (role IN ('ADMIN','MEMBER','DIRECTORATE','CRISIS_OPERATOR','MINISTER','AUDITOR')),
        CONSTRAINT users_email_lowercase CHECK (email = lower(email)),
        CONSTRAINT users_member_binding CHECK ((role = 'MEMBER') = (member_id IS NOT NULL)),
        CONSTRAINT users_directorate_binding CHECK ((role = 'DIRECTORATE') = (directorate_code IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`CREATE INDEX users_role_idx ON users (role)`);

    await db.query(`
      CREATE TABLE audit_event (
        sequence bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        occurred_at timestamptz NOT NULL,
        actor_id uuid NULL,
        actor_role text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT audit_event_sequence_positive CHECK (sequence > 0)
      )`);
    await db.query(`CREATE INDEX audit_event_aggregate_idx ON audit_event (aggregate_id, sequence)`);
    await db.query(`CREATE INDEX audit_event_type_idx ON audit_event (type, sequence)`);
    await db.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, sequence)`);
    await db.query(`CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at)`);

    // Append-only: the application can insert, never change or remove a recorded fact.
    await db.query(`
      CREATE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change()`);
    await db.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_reject_change()`);

    // The relay's position in the log: every event up to last_sequence is in the queue.
    await db.query(`
      CREATE TABLE outbox_cursor (
        name text PRIMARY KEY,
        last_sequence bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`INSERT INTO outbox_cursor (name, last_sequence) VALUES ('domain-events', 0)`);

    await db.query(`
      CREATE TABLE idempotency_key (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        state text NOT NULL,
        response_status int NULL,
        response_body jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key),
        CONSTRAINT idempotency_key_state_check CHECK (state IN ('IN_FLIGHT','COMPLETED')),
        CONSTRAINT idempotency_key_completed_has_response CHECK (state = 'IN_FLIGHT' OR response_status IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_key`);
    await db.query(`DROP TABLE outbox_cursor`);
    await db.query(`DROP TABLE audit_event`);
    await db.query(`DROP FUNCTION audit_event_reject_change()`);
    await db.query(`DROP TABLE users`);
  }
}
