import { generateKeyPairSync } from 'node:crypto';
import {
  checkpointShapeProblem,
  checkpointText,
  CheckpointWitness,
  describeContradiction,
  hasValidSignature,
  keyIdOf,
  type SignedCheckpoint,
  signCheckpoint,
  sortBySignature,
} from './checkpoint.js';
import { chainHash, GENESIS_HASH, jsonbText, timestampText } from './hash-chain.js';

/** Hashes of a small chain, by sequence (index 0 unused). */
function chain(length: number, note = 'original'): string[] {
  const hashes = [GENESIS_HASH];
  for (let sequence = 1; sequence <= length; sequence += 1) {
    hashes.push(chainHash(hashes[sequence - 1], {
      sequence,
      id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      occurredAt: timestampText(new Date('2026-03-01T08:00:00.000Z')),
      actorId: null,
      actorRole: 'SYSTEM',
      aggregateType: 'Probe',
      aggregateId: 'p-1',
      type: 'ProbeRecorded',
      payload: jsonbText({ sequence, note: sequence === 4 ? note : 'original' }),
    }));
  }
  return hashes;
}

describe('signed audit checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  const hashes = chain(8);
  const checkpointAt = (sequence: number, hashOf = hashes) =>
    signCheckpoint({ sequence, hash: hashOf[sequence], signedAt: `2026-03-01T08:0${sequence}:00.000Z`, keyId }, privateKey);
  const witnessOf = (checkpoints: SignedCheckpoint[], hashOf: string[], head: number) => {
    const witness = new CheckpointWitness(checkpoints);
    for (let sequence = 1; sequence <= head; sequence += 1) witness.observe(sequence, hashOf[sequence]);
    return witness.contradiction(head);
  };

  it('signs a text that names its format and every field, which only the key can sign', () => {
    const checkpoint = checkpointAt(5);
    expect(checkpointText(checkpoint)).toBe(`renfort-audit-checkpoint/v1\nsequence 5\nhash ${hashes[5]}\nsigned-at 2026-03-01T08:05:00.000Z\nkey-id ${keyId}\n`);
    expect(hasValidSignature(checkpoint, publicKey)).toBe(true);
    expect(hasValidSignature(checkpoint, other.publicKey)).toBe(false);
  });

  it('refuses a checkpoint whose fields were changed after signing, or whose signature is not base64 of one', () => {
    const checkpoint = checkpointAt(5);
    expect(hasValidSignature({ ...checkpoint, sequence: 6 }, publicKey)).toBe(false);
    expect(hasValidSignature({ ...checkpoint, hash: hashes[6] }, publicKey)).toBe(false);
    expect(hasValidSignature({ ...checkpoint, signedAt: '2026-03-02T08:05:00.000Z' }, publicKey)).toBe(false);
    expect(hasValidSignature({ ...checkpoint, signature: 'not a signature' }, publicKey)).toBe(false);
  });

  it('sorts checkpoints into trusted, forged under the key id, and signed by another key', () => {
    const trusted = checkpointAt(3);
    const forged = { ...checkpointAt(5), hash: hashes[4] };
    const foreign = signCheckpoint({ sequence: 6, hash: hashes[6], signedAt: '2026-03-01T08:06:00.000Z', keyId: keyIdOf(other.publicKey) }, other.privateKey);
    expect(sortBySignature([trusted, forged, foreign], publicKey)).toEqual({ trusted: [trusted], forged: [forged], otherKey: [foreign] });
  });

  it('finds nothing to contradict in the log that was signed, nor in one that grew since', () => {
    expect(witnessOf([checkpointAt(3), checkpointAt(6)], hashes, 6)).toBeNull();
    expect(witnessOf([checkpointAt(3), checkpointAt(6)], hashes, 8)).toBeNull();
  });

  it('reports a log that ends before a checkpoint as truncated from the first missing event', () => {
    const contradiction = witnessOf([checkpointAt(3), checkpointAt(6)], hashes, 4);
    expect(contradiction).toMatchObject({ reason: 'TRUNCATED', firstBadSequence: 5, checkpoint: { sequence: 6 } });
    expect(describeContradiction(contradiction!)).toContain('events from sequence 5 were removed');
  });

  it('reports a consistent rewrite at the first event after the last checkpoint that still matches', () => {
    const rewritten = chain(8, 'rewritten');
    expect(rewritten[3]).toBe(hashes[3]);
    expect(witnessOf([checkpointAt(3), checkpointAt(6)], rewritten, 8)).toMatchObject({ reason: 'REWRITTEN', firstBadSequence: 4, checkpoint: { sequence: 6 } });
    expect(witnessOf([checkpointAt(6)], rewritten, 8)).toMatchObject({ reason: 'REWRITTEN', firstBadSequence: 1 });
  });

  it('tells what is not a checkpoint', () => {
    expect(checkpointShapeProblem(checkpointAt(2))).toBeNull();
    expect(checkpointShapeProblem({ ...checkpointAt(2), sequence: 0 })).toMatch(/sequence/);
    expect(checkpointShapeProblem({ ...checkpointAt(2), hash: 'abc' })).toMatch(/hash/);
    expect(checkpointShapeProblem('text')).toBe('not an object');
  });
});
