import { CapacityExceededError, fitsCapacity, UnitsCommittedError } from './capacity.js';

describe('Capacity ledger', () => {
  it('lets an accept take at most the units left, and all of them when it names no quantity', () => {
    expect(fitsCapacity(4, 2, 2)).toBe(true);
    expect(fitsCapacity(4, 2, 3)).toBe(false);
    expect(fitsCapacity(4, 3, undefined)).toBe(true);
    expect(fitsCapacity(4, 4, undefined)).toBe(false);
  });

  it('says what remains when an accept asks too much', () => {
    const error = new CapacityExceededError('a-1', 2, 4, 4);
    expect(error).toMatchObject({ kind: 'CONFLICT', code: 'ASSET.CAPACITY_EXCEEDED', message: 'Asset a-1 has 2 of its 4 units left; 4 were asked' });
    expect(new CapacityExceededError('a-1', 0, 3).message).toBe('Asset a-1 has 0 of its 3 units left; the others are committed to other requests');
  });

  it('refuses a quantity below the units committed', () => {
    expect(new UnitsCommittedError('a-1', 3, 2)).toMatchObject({ kind: 'CONFLICT', code: 'ASSET.UNITS_COMMITTED' });
  });
});
