import { createHash } from 'node:crypto';

/** The previous hash of the first event of the log. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields of an audit event that its hash covers (all of them but the hashes), in the text
 * form PostgreSQL gives them: the database seals the events (audit_seal_pending, migrations
 * 1795300500000 and 1795300700000), and anyone can recompute the chain from these texts.
 */
export interface ChainedFields {
  sequence: number;
  id: string;
  /** UTC with microseconds: `2026-03-01T08:00:00.000000Z`. */
  occurredAt: string;
  actorId: string | null;
  actorRole: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  /** The payload as `jsonb` prints it: keys unique and ordered, one space after `:` and `,`. */
  payload: string;
}

export interface SealedEvent extends ChainedFields {
  prevHash: string;
  hash: string;
}

/** One field of the hashed text: its length in bytes, then itself; `~` for null. Nothing can be shifted from one field to the next. */
const chainField = (value: string | null) => (value === null ? '~' : `${Buffer.byteLength(value, 'utf8')}:${value}`);

/** The text an event's hash covers; `audit_event_chain_text` in the database writes the same. */
export function chainText(event: ChainedFields): string {
  return [
    String(event.sequence), event.id, event.occurredAt, event.actorId, event.actorRole,
    event.aggregateType, event.aggregateId, event.type, event.payload,
  ].map(chainField).join('|');
}

/** hash = sha256(prevHash || text(event)): each event seals the whole history before it. */
export function chainHash(prevHash: string, event: ChainedFields): string {
  return createHash('sha256').update(prevHash + chainText(event), 'utf8').digest('hex');
}

export type ChainBreak = { sequence: number; reason: 'MISSING' | 'PREVIOUS_HASH_MISMATCH' | 'HASH_MISMATCH' };

/**
 * Checks one stored event against the chain so far. Sequences are gapless from 1, so a
 * missing number is a removed event; a changed field shows as a hash that no longer matches.
 */
export function checkLink(expectedSequence: number, prevHash: string, event: SealedEvent): ChainBreak | null {
  if (event.sequence !== expectedSequence) return { sequence: expectedSequence, reason: 'MISSING' };
  if (event.prevHash !== prevHash) return { sequence: event.sequence, reason: 'PREVIOUS_HASH_MISMATCH' };
  if (chainHash(prevHash, event) !== event.hash) return { sequence: event.sequence, reason: 'HASH_MISMATCH' };
  return null;
}

/** A timestamp as the chain hashes it (JavaScript dates have milliseconds only). */
export function timestampText(at: Date): string {
  return `${at.toISOString().slice(0, -1)}000Z`;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * A JSON value as PostgreSQL prints it once stored as `jsonb`, for chaining events written
 * outside the database (seeds, tests): object keys by length in bytes, then bytewise, the
 * last of equal keys kept. Numbers print as JavaScript writes them, which `jsonb` keeps for
 * every number without an exponent.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    keys.sort((a, b) => Buffer.byteLength(a, 'utf8') - Buffer.byteLength(b, 'utf8') || byteOrder(a, b));
    return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbText((value as Record<string, unknown>)[key])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
