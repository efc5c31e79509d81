import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commands record their events in `audit_event_pending`, in the transaction of their change,
 * and no longer wait for the chain: `audit_seal_pending()` moves committed pending events into
 * the chain in batches, in the order they were recorded, under the chain lock, hashed with
 * the functions of migration 1795300500000 (whose trigger still seals a row inserted straight
 * into audit_event without a hash). Before, every command took the chain lock and held it
 * through its commit (the write-ahead log flush included), so no two commands that recorded
 * events could commit at once, whatever they touched: about 2,000 commits/s at most here.
 * The relay seals before it publishes, and every reader of the log seals before it reads, so
 * an event is in the chain before anyone is shown it or acts on it. An event that depends on
 * another (a request accepted after it was acknowledged) was recorded after the other
 * committed: it comes after it in the chain. A transaction's events keep their order, but
 * events of concurrent transactions may now interleave.
 */
export class SealInBatches1795300700000 implements MigrationInterface {
  name = 'SealInBatches1795300700000';

  async up(db: QueryRunner): Promise<void> {
    // The columns of audit_event a command gives; `arrival` orders the events as recorded.
    await db.query(`
      CREATE TABLE audit_event_pending (
        arrival bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_id uuid NULL,
        actor_role text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL
      )`);
    // Every row is deleted soon after it is inserted: vacuumed often, not by share of the table.
    await db.query(`ALTER TABLE audit_event_pending SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)`);
    // Pending events leave only by being sealed: a DELETE needs the chain lock, which sealing
    // holds; nothing else changes or removes them. Checked once per statement.
    await db.query(`
      CREATE FUNCTION audit_event_pending_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
          SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = (7310742002 >> 32)::oid AND objid = (7310742002 & 4294967295)::oid AND objsubid = 1
        ) THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit_event_pending: events wait to be sealed, they cannot be changed or removed';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_pending_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event_pending
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_pending_reject_change()`);

    // Seals at most max_events of the committed pending events (all of them when null), the
    // oldest first, and answers how many. Without pending events it takes no lock. The hashes
    // are chained here, from the head, and the events inserted already sealed in one statement
    // (the trigger seals only rows inserted without a hash).
    await db.query(`
      CREATE FUNCTION audit_seal_pending(max_events int) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        head_sequence bigint;
        head_hash text;
        p audit_event_pending;
        e audit_event;
        arrivals bigint[] := '{}';
        sequences bigint[] := '{}';
        prev_hashes text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM audit_event_pending) THEN RETURN 0; END IF;
        PERFORM pg_advisory_xact_lock(7310742002);
        SELECT sequence, hash INTO head_sequence, head_hash FROM audit_event ORDER BY sequence DESC LIMIT 1;
        head_sequence := coalesce(head_sequence, 0);
        head_hash := coalesce(head_hash, repeat('0', 64));
        FOR p IN SELECT * FROM audit_event_pending ORDER BY arrival LIMIT max_events LOOP
          head_sequence := head_sequence + 1;
          e := ROW(head_sequence, p.id, p.occurred_at, p.actor_id, p.actor_role, p.aggregate_type, p.aggregate_id, p.type, p.payload, head_hash, NULL);
          arrivals := arrivals || p.arrival;
          sequences := sequences || head_sequence;
          prev_hashes := prev_hashes || head_hash;
          head_hash := audit_chain_hash(head_hash, audit_event_chain_text(head_sequence, e));
          hashes := hashes || head_hash;
        END LOOP;
        INSERT INTO audit_event (sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash)
        SELECT s.sequence, w.id, w.occurred_at, w.actor_id, w.actor_role, w.aggregate_type, w.aggregate_id, w.type, w.payload, s.prev_hash, s.hash
        FROM unnest(arrivals, sequences, prev_hashes, hashes) AS s(arrival, sequence, prev_hash, hash)
        JOIN audit_event_pending w ON w.arrival = s.arrival
        ORDER BY s.sequence;
        DELETE FROM audit_event_pending WHERE arrival = ANY(arrivals);
        RETURN cardinality(arrivals);
      END $$`);
  }

  /** Pending events are sealed before the table goes: none is lost. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT audit_seal_pending(NULL)`);
    await db.query(`DROP FUNCTION audit_seal_pending(int)`);
    await db.query(`DROP TABLE audit_event_pending`);
    await db.query(`DROP FUNCTION audit_event_pending_reject_change()`);
  }
}
