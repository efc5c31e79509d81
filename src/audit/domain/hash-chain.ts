import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/idempotency/canonical-json.js';

/** The previous hash of the first event of the log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers: all of them but the hashes. */
export interface ChainedFields {
  sequence: number;
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: Record<string, unknown>;
}

/** hash = sha256(prevHash || canonical(event)): each event seals the whole history before it. */
export function chainHash(prevHash: string, event: ChainedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(
      canonicalJson({
        sequence: event.sequence,
        id: event.id,
        occurredAt: event.occurredAt.toISOString(),
        actorId: event.actorId,
        actorRole: event.actorRole,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        type: event.type,
        payload: event.payload,
      }),
    )
    .digest('hex');
}

export interface StoredEvent extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type ChainBreak = { sequence: number; reason: 'MISSING' | 'PREVIOUS_HASH_MISMATCH' | 'HASH_MISMATCH' };

/**
 * Checks one stored event against the chain so far. Sequences are gapless from 1, so a
 * missing number is a removed event; a changed field shows as a hash that no longer matches.
 */
export function checkLink(expectedSequence: number, prevHash: string, event: StoredEvent): ChainBreak | null {
  if (event.sequence !== expectedSequence) return { sequence: expectedSequence, reason: 'MISSING' };
  if (event.prevHash !== prevHash) return { sequence: event.sequence, reason: 'PREVIOUS_HASH_MISMATCH' };
  if (chainHash(prevHash, event) !== event.hash) return { sequence: event.sequence, reason: 'HASH_MISMATCH' };
  return null;
}
