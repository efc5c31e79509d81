import { chainHash, checkLink, GENESIS_HASH, type StoredEvent } from './hash-chain.js';

function seal(prevHash: string, sequence: number, payload: Record<string, unknown>): StoredEvent {
  const fields = {
    sequence,
    id: `00000000-0000-4000-8000-00000000000${sequence}`,
    occurredAt: new Date('2026-03-01T08:00:00.000Z'),
    actorId: null,
    actorRole: 'SYSTEM',
    aggregateType: 'Probe',
    aggregateId: 'p-1',
    type: 'ProbeRecorded',
    payload,
  };
  return { ...fields, prevHash, hash: chainHash(prevHash, fields) };
}

describe('hash chain', () => {
  const first = seal(GENESIS_HASH, 1, { a: 1 });
  const second = seal(first.hash, 2, { b: [1, 2], a: 'x' });

  it('gives the same hash whatever the order of payload keys', () => {
    expect(chainHash(first.hash, { ...second, payload: { a: 'x', b: [1, 2] } })).toBe(second.hash);
  });

  it('accepts an intact link', () => {
    expect(checkLink(1, GENESIS_HASH, first)).toBeNull();
    expect(checkLink(2, first.hash, second)).toBeNull();
  });

  it('reports a changed field as a hash mismatch at that event', () => {
    expect(checkLink(2, first.hash, { ...second, payload: { a: 'y', b: [1, 2] } })).toEqual({ sequence: 2, reason: 'HASH_MISMATCH' });
    expect(checkLink(2, first.hash, { ...second, actorRole: 'ADMIN' })).toEqual({ sequence: 2, reason: 'HASH_MISMATCH' });
  });

  it('reports a link to another predecessor', () => {
    expect(checkLink(2, GENESIS_HASH, second)).toEqual({ sequence: 2, reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  it('reports a missing sequence number as the removed event', () => {
    expect(checkLink(2, first.hash, seal(first.hash, 3, {}))).toEqual({ sequence: 2, reason: 'MISSING' });
  });
});
