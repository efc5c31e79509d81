import type { SealedEvent } from './domain/hash-chain.js';

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
