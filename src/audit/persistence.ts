import type { StoredEvent } from './domain/hash-chain.js';

/** Columns of audit_event, in the order every reader selects them. */
export const AUDIT_EVENT_COLUMNS = `sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash`;

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
