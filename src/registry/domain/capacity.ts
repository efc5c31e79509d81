import { ConflictError } from '../../common/errors/domain-error.js';

/**
 * The capacity ledger: an asset's quantity is what it gives across all activations at once.
 * The units held by its ACCEPTED and DEPLOYED requests are committed (`asset.committed_quantity`,
 * kept by the accept and release statements, bounded by a CHECK); only the rest can be offered.
 */

/** An accept asked for more units than the asset has left across all activations. */
export class CapacityExceededError extends ConflictError {
  constructor(assetId: string, remaining: number, quantity: number, asked?: number) {
    super(
      'ASSET.CAPACITY_EXCEEDED',
      `Asset ${assetId} has ${remaining} of its ${quantity} units left` +
        (asked === undefined ? '; the others are committed to other requests' : `; ${asked} were asked`),
    );
  }
}

/** A quantity below what the asset's accepted and deployed requests hold. */
export class UnitsCommittedError extends ConflictError {
  constructor(assetId: string, committed: number, quantity: number) {
    super(
      'ASSET.UNITS_COMMITTED',
      `Asset ${assetId} cannot have ${quantity} units: ${committed} of its units are committed to activations until they are released`,
    );
  }
}

/** Whether the accept asking `asked` units (undefined: all that are left) fits what is left. */
export function fitsCapacity(quantity: number, committed: number, asked?: number): boolean {
  const remaining = quantity - committed;
  return asked === undefined ? remaining >= 1 : asked <= remaining;
}
