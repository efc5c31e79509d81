import type { SealedEvent } from './domain/hash-chain.js';

/**
 * How a command records its events, in the transaction of its change: into the pending
 * events, which `audit_seal_pending()` seals into the chain later, in batches (migration
 * 1795300700000). A command never waits for the chain.
 */
export const RECORD_EVENTS = `INSERT INTO audit_event_pending (id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload)`;

/** The most events one sealing transaction moves into the chain. */
export const SEAL_BATCH = 10_000;

/** A data source, an entity manager or a query runner: anything that answers rows. */
interface RowQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Seals every event committed so far into the chain, for a reader that must show all of them
 * (an audit query, a timeline) or act on them in order (the relay). Answers how many it sealed.
 */
export async function sealPendingEvents(db: RowQueryable): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ sealed }] = (await db.query(`SELECT audit_seal_pending($1) AS sealed`, [SEAL_BATCH])) as { sealed: number }[];
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

/** Columns of audit_event, in the order every reader selects them. */
export const AUDIT_EVENT_COLUMNS = `sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash`;

/** The columns in the text form the chain hashes (see `audit_event_chain_text`). */
export const CHAINED_TEXT_COLUMNS = `sequence, id::text AS id,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  actor_id::text AS actor_id, actor_role, aggregate_type, aggregate_id, type, payload::text AS payload, prev_hash, hash`;

/** An event as read back. */
export interface StoredEvent {
  sequence: number;
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** A row of audit_event as read: the time and the payload as parsed values, or as their text. */
interface EventRow<At, Payload> {
  sequence: string;
  id: string;
  occurred_at: At;
  actor_id: string | null;
  actor_role: string;
  aggregate_type: string;
  aggregate_id: string;
  type: string;
  payload: Payload;
  prev_hash: string;
  hash: string;
}

export type AuditEventRow = EventRow<Date, Record<string, unknown>>;

/** A row read with CHAINED_TEXT_COLUMNS. */
export type ChainedTextRow = EventRow<string, string>;

function eventOf<At, Payload>(row: EventRow<At, Payload>) {
  return {
    sequence: Number(row.sequence),
    id: row.id,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    type: row.type,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const toStoredEvent = (row: AuditEventRow): StoredEvent => eventOf(row);

export const toSealedEvent = (row: ChainedTextRow): SealedEvent => eventOf(row);

/** How many events a reader of the whole chain holds at once. */
export const CHAIN_READ_BATCH = 5000;

/**
 * The sealed events from `fromSequence` on, in sequence order, with their fields in the text
 * form the chain hashes, read in keyset batches so that memory stays flat however long the log.
 */
export async function* readChain(db: RowQueryable, fromSequence = 1): AsyncGenerator<SealedEvent> {
  let next = fromSequence;
  for (;;) {
    const rows = (await db.query(
      `SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event WHERE sequence >= $1 ORDER BY sequence LIMIT ${CHAIN_READ_BATCH}`,
      [next],
    )) as ChainedTextRow[];
    for (const row of rows) yield toSealedEvent(row);
    if (rows.length < CHAIN_READ_BATCH) return;
    next = Number(rows[rows.length - 1].sequence) + 1;
  }
}
