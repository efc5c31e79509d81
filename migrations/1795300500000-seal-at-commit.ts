import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is sealed by the database as the recording transaction commits, instead of
 * by the application under a lock held from its append to its commit. A command now inserts
 * its events unsealed; a deferred constraint trigger gives each its sequence, previous hash
 * and hash while the transaction commits, under the chain lock, which is then held only for
 * the commit itself and never across a round trip to the application. Sequences stay gapless
 * and in commit order, so the relay and the verifier read the log as before.
 * The hashed text changes to one PostgreSQL writes and anyone can recompute: each field's
 * length in bytes and its text (the payload as jsonb prints it); existing events are re-sealed.
 */
export class SealAtCommit1795300500000 implements MigrationInterface {
  name = 'SealAtCommit1795300500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey`);
    await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_id_key`);
    await db.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (id)`);
    await db.query(`ALTER TABLE audit_event ALTER COLUMN sequence DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await db.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_sequence_key UNIQUE (sequence)`);
    await db.query(`
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_sealed_whole
      CHECK ((sequence IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL))`);

    await db.query(`
      CREATE FUNCTION audit_chain_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN value IS NULL THEN '~' ELSE octet_length(value)::text || ':' || value END
      $$`);
    // The same text as chainText() in src/audit/domain/hash-chain.ts.
    await db.query(`
      CREATE FUNCTION audit_event_chain_text(seq bigint, e audit_event) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT concat_ws('|',
          audit_chain_field(seq::text), audit_chain_field(e.id::text),
          audit_chain_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
          audit_chain_field(e.actor_id::text), audit_chain_field(e.actor_role), audit_chain_field(e.aggregate_type),
          audit_chain_field(e.aggregate_id), audit_chain_field(e.type), audit_chain_field(e.payload::text))
      $$`);
    await db.query(`
      CREATE FUNCTION audit_chain_hash(prev_hash text, chain_text text) RETURNS char(64) LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(prev_hash || chain_text, 'UTF8')), 'hex')
      $$`);

    // Still append-only: the one change allowed is the seal, written once on an unsealed event.
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
           AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_role, NEW.aggregate_type, NEW.aggregate_id, NEW.type, NEW.payload)
               IS NOT DISTINCT FROM (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_role, OLD.aggregate_type, OLD.aggregate_id, OLD.type, OLD.payload)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);

    // The chain lock (a transaction-level advisory lock) is taken at the first seal of a
    // transaction and held until its commit ends: transactions seal one after the other, in
    // the order they commit, and each reads the head its predecessor committed.
    await db.query(`
      CREATE FUNCTION audit_event_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_sequence bigint;
        head_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7310742002);
        SELECT sequence, hash INTO head_sequence, head_hash FROM audit_event WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1;
        head_sequence := coalesce(head_sequence, 0) + 1;
        head_hash := coalesce(head_hash, repeat('0', 64));
        UPDATE audit_event
        SET sequence = head_sequence, prev_hash = head_hash, hash = audit_chain_hash(head_hash, audit_event_chain_text(head_sequence, NEW))
        WHERE id = NEW.id AND hash IS NULL;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'audit event % was changed before it was sealed', NEW.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER audit_event_seal AFTER INSERT ON audit_event
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.hash IS NULL) EXECUTE FUNCTION audit_event_seal()`);

    // Events recorded before: re-sealed in the new form, in their order.
    await db.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    await db.query(`
      DO $$
      DECLARE
        e audit_event;
        previous text := repeat('0', 64);
      BEGIN
        FOR e IN SELECT * FROM audit_event WHERE sequence IS NOT NULL ORDER BY sequence LOOP
          UPDATE audit_event SET prev_hash = previous, hash = audit_chain_hash(previous, audit_event_chain_text(e.sequence, e)) WHERE id = e.id
          RETURNING hash INTO previous;
        END LOOP;
      END $$`);
    await db.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER audit_event_seal ON audit_event`);
    await db.query(`DROP FUNCTION audit_event_seal()`);
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`DROP FUNCTION audit_chain_hash(text, text)`);
    await db.query(`DROP FUNCTION audit_event_chain_text(bigint, audit_event)`);
    await db.query(`DROP FUNCTION audit_chain_field(text)`);
    await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_sealed_whole`);
    await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_sequence_key`);
    await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey`);
    await db.query(`ALTER TABLE audit_event ALTER COLUMN sequence SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await db.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (sequence)`);
    await db.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_id_key UNIQUE (id)`);
  }
}
