import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is sealed by the database, as each event is inserted, instead of by the
 * application (which took the chain lock, read the head and inserted, three round trips with
 * the lock held, then committed). A BEFORE INSERT trigger takes the chain lock (a
 * transaction-level advisory lock, held until the transaction ends), reads the head and gives
 * the event its sequence, previous hash and hash. A command records its events last, so the
 * lock is held for the commit only; a command made of one statement holds it only while
 * PostgreSQL finishes that statement and commits, never across a round trip to the
 * application. Sequences stay gapless and in commit order: readers and the relay are unchanged.
 * The hashed text changes to one PostgreSQL writes and anyone can recompute: each field's
 * length in bytes and its text (the payload as jsonb prints it); existing events are re-sealed.
 * Rows inserted already sealed (restored from a backup, seeded) are kept as they are.
 */
export class SealInDatabase1795300500000 implements MigrationInterface {
  name = 'SealInDatabase1795300500000';

  async up(db: QueryRunner): Promise<void> {
    // PL/pgSQL rather than SQL functions: called once per event from the trigger, they keep
    // their plans for the session instead of being planned again at every call.
    await db.query(`
      CREATE FUNCTION audit_chain_field(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN CASE WHEN value IS NULL THEN '~' ELSE octet_length(value)::text || ':' || value END;
      END $$`);
    // The same text as chainText() in src/audit/domain/hash-chain.ts.
    await db.query(`
      CREATE FUNCTION audit_event_chain_text(seq bigint, e audit_event) RETURNS text LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN concat_ws('|',
          audit_chain_field(seq::text), audit_chain_field(e.id::text),
          audit_chain_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
          audit_chain_field(e.actor_id::text), audit_chain_field(e.actor_role), audit_chain_field(e.aggregate_type),
          audit_chain_field(e.aggregate_id), audit_chain_field(e.type), audit_chain_field(e.payload::text));
      END $$`);
    await db.query(`
      CREATE FUNCTION audit_chain_hash(prev_hash text, chain_text text) RETURNS char(64) LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN encode(sha256(convert_to(prev_hash || chain_text, 'UTF8')), 'hex');
      END $$`);

    // One transaction at a time appends to the chain, from its first event to its end; the
    // next reads the head the previous one committed.
    await db.query(`
      CREATE FUNCTION audit_event_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_sequence bigint;
        head_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7310742002);
        SELECT sequence, hash INTO head_sequence, head_hash FROM audit_event ORDER BY sequence DESC LIMIT 1;
        NEW.sequence := coalesce(head_sequence, 0) + 1;
        NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
        NEW.hash := audit_chain_hash(NEW.prev_hash, audit_event_chain_text(NEW.sequence, NEW));
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_seal BEFORE INSERT ON audit_event
      FOR EACH ROW WHEN (NEW.hash IS NULL) EXECUTE FUNCTION audit_event_seal()`);

    // Events recorded before: re-sealed in the new form, in their order.
    await db.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    await db.query(`
      DO $$
      DECLARE
        e audit_event;
        previous text := repeat('0', 64);
      BEGIN
        FOR e IN SELECT * FROM audit_event ORDER BY sequence LOOP
          UPDATE audit_event SET prev_hash = previous, hash = audit_chain_hash(previous, audit_event_chain_text(e.sequence, e)) WHERE sequence = e.sequence
          RETURNING hash INTO previous;
        END LOOP;
      END $$`);
    await db.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
  }

  /** The events keep the hashes of the new form: the application's old sealing could not re-seal them. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER audit_event_seal ON audit_event`);
    await db.query(`DROP FUNCTION audit_event_seal()`);
    await db.query(`DROP FUNCTION audit_chain_hash(text, text)`);
    await db.query(`DROP FUNCTION audit_event_chain_text(bigint, audit_event)`);
    await db.query(`DROP FUNCTION audit_chain_field(text)`);
  }
}
