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

export interface AuditEventRow {
  sequence: string;
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_role: string;
  aggregate_type: string;
  aggregate_id: string;
  type: string;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toStoredEvent(row: AuditEventRow): StoredEvent {
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

/** A row read with CHAINED_TEXT_COLUMNS. */
export type ChainedTextRow = Omit<AuditEventRow, 'occurred_at' | 'payload'> & { occurred_at: string; payload: string };

export function toSealedEvent(row: ChainedTextRow): SealedEvent {
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
