import { chainHash, chainText, checkLink, GENESIS_HASH, jsonbText, type SealedEvent, timestampText } from './hash-chain.js';

function seal(prevHash: string, sequence: number, payload: Record<string, unknown>): SealedEvent {
  const fields = {
    sequence,
    id: `00000000-0000-4000-8000-00000000000${sequence}`,
    occurredAt: timestampText(new Date('2026-03-01T08:00:00.000Z')),
    actorId: null,
    actorRole: 'SYSTEM',
    aggregateType: 'Probe',
    aggregateId: 'p-1',
    type: 'ProbeRecorded',
    payload: jsonbText(payload),
  };
  return { ...fields, prevHash, hash: chainHash(prevHash, fields) };
}

describe('hash chain', () => {
  const first = seal(GENESIS_HASH, 1, { a: 1 });
  const second = seal(first.hash, 2, { b: [1, 2], a: 'x' });

  it('hashes each field with its length, so that text cannot move from one field to the next', () => {
    const moved = { ...second, aggregateType: 'Probep', aggregateId: '-1' };
    expect(chainText(moved)).not.toBe(chainText(second));
    expect(chainText({ ...second, actorId: null })).not.toBe(chainText({ ...second, actorId: '' }));
    expect(chainText(second)).toContain('|~|6:SYSTEM|');
  });

  it('writes timestamps with microseconds, in UTC', () => {
    expect(timestampText(new Date('2026-03-01T09:00:00.123+01:00'))).toBe('2026-03-01T08:00:00.123000Z');
  });

  it('writes payloads as jsonb prints them, whatever the order of their keys', () => {
    expect(jsonbText({ b: [1, 2], a: 'x', ccc: { é: null, zz: true } })).toBe('{"a": "x", "b": [1, 2], "ccc": {"zz": true, "é": null}}');
    expect(jsonbText({ a: 'x', b: [1, 2] })).toBe(jsonbText({ b: [1, 2], a: 'x' }));
    expect(jsonbText({ skipped: undefined, n: 1.5, s: 'line\nbreak "quoted"' })).toBe('{"n": 1.5, "s": "line\\nbreak \\"quoted\\""}');
  });

  it('accepts an intact link', () => {
    expect(checkLink(1, GENESIS_HASH, first)).toBeNull();
    expect(checkLink(2, first.hash, second)).toBeNull();
  });

  it('reports a changed field as a hash mismatch at that event', () => {
    expect(checkLink(2, first.hash, { ...second, payload: jsonbText({ a: 'y', b: [1, 2] }) })).toEqual({ sequence: 2, reason: 'HASH_MISMATCH' });
    expect(checkLink(2, first.hash, { ...second, actorRole: 'ADMIN' })).toEqual({ sequence: 2, reason: 'HASH_MISMATCH' });
  });

  it('reports a link to another predecessor', () => {
    expect(checkLink(2, GENESIS_HASH, second)).toEqual({ sequence: 2, reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  it('reports a missing sequence number as the removed event', () => {
    expect(checkLink(2, first.hash, seal(first.hash, 3, {}))).toEqual({ sequence: 2, reason: 'MISSING' });
  });
});
