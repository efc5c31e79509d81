import { type TransitionTable, transition } from '../../common/domain/lifecycle.js';

export const ASSET_STATUSES = ['AVAILABLE', 'UNAVAILABLE', 'ENGAGED', 'RETIRED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
/** The statuses an owner may set; ENGAGED is set only by an activation. */
export const OWNER_SETTABLE_STATUSES = ['AVAILABLE', 'UNAVAILABLE', 'RETIRED'] as const;
export type OwnerSettableStatus = (typeof OWNER_SETTABLE_STATUSES)[number];

type AssetAction = 'makeAvailable' | 'makeUnavailable' | 'retire';
const ACTION_TO_STATUS: Record<OwnerSettableStatus, AssetAction> = {
  AVAILABLE: 'makeAvailable',
  UNAVAILABLE: 'makeUnavailable',
  RETIRED: 'retire',
};
export const ASSET_LIFECYCLE: TransitionTable<AssetStatus, AssetAction> = {
  makeAvailable: { from: ['AVAILABLE', 'UNAVAILABLE'], to: 'AVAILABLE' },
  makeUnavailable: { from: ['AVAILABLE', 'UNAVAILABLE'], to: 'UNAVAILABLE' },
  retire: { from: ['AVAILABLE', 'UNAVAILABLE'], to: 'RETIRED' },
};

import type { Area } from './area.js';

export type Coverage = Area;

export interface UnavailabilityWindow {
  id: string;
  from: string;
  to: string;
  reason: string;
}

export interface AssetView {
  id: string;
  memberId: string;
  category: string;
  name: string;
  quantity: number;
  /** Units held by accepted or deployed requests, across all activations. */
  committedQuantity: number;
  /** Units an activation may still ask for. */
  remainingQuantity: number;
  leadTimeMinutes: number;
  coverage: Coverage;
  capabilityTier: number | null;
  clearance: string | null;
  description: string | null;
  status: AssetStatus;
  attestedAt: string;
  stale: boolean;
  unavailableNow: boolean;
  unavailability: UnavailabilityWindow[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AssetDetails {
  category: string;
  name: string;
  quantity: number;
  leadTimeMinutes: number;
  coverage: Coverage;
  capabilityTier?: number | null;
  clearance?: string | null;
  description?: string | null;
}

/** One resource a member offers, always free of charge. */
export class Asset {
  id: string;
  memberId: string;
  category: string;
  name: string;
  quantity: number;
  /** Read from the capacity ledger, never written from here (see the persistence schema). */
  committedQuantity?: number;
  leadTimeMinutes: number;
  national: boolean;
  departements: string[];
  capabilityTier: number | null;
  clearance: string | null;
  description: string | null;
  status: AssetStatus;
  attestedAt: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;

  /** Declaring an asset is its first readiness attestation. */
  static declare(input: AssetDetails & { id: string; memberId: string; now: Date }): Asset {
    const asset = new Asset();
    Object.assign(asset, {
      id: input.id,
      memberId: input.memberId,
      status: 'AVAILABLE',
      attestedAt: input.now,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
      // What the declaration leaves out is null, as reading the asset back says.
      capabilityTier: null,
      clearance: null,
      description: null,
    });
    asset.revise(input);
    return asset;
  }

  revise(changes: Partial<AssetDetails>): void {
    if (changes.category !== undefined) this.category = changes.category;
    if (changes.name !== undefined) this.name = changes.name.trim();
    if (changes.quantity !== undefined) this.quantity = changes.quantity;
    if (changes.leadTimeMinutes !== undefined) this.leadTimeMinutes = changes.leadTimeMinutes;
    if (changes.coverage !== undefined) {
      this.national = 'national' in changes.coverage;
      this.departements = 'departements' in changes.coverage ? [...new Set(changes.coverage.departements)].sort() : [];
    }
    if (changes.capabilityTier !== undefined) this.capabilityTier = changes.capabilityTier;
    if (changes.clearance !== undefined) this.clearance = changes.clearance;
    if (changes.description !== undefined) this.description = changes.description;
  }

  setStatus(status: OwnerSettableStatus): void {
    this.status = transition(ASSET_LIFECYCLE, 'asset', this.status, ACTION_TO_STATUS[status]);
  }

  attest(now: Date): void {
    this.attestedAt = now;
  }

  touch(now: Date): void {
    this.version += 1;
    this.updatedAt = now;
  }

  isStale(now: Date, maxAgeDays: number): boolean {
    return now.getTime() - this.attestedAt.getTime() > maxAgeDays * 86_400_000;
  }

  get coverage(): Coverage {
    return this.national ? { national: true } : { departements: this.departements };
  }

  toView(now: Date, maxAgeDays: number, windows: UnavailabilityWindow[] = []): AssetView {
    return {
      id: this.id,
      memberId: this.memberId,
      category: this.category,
      name: this.name,
      quantity: this.quantity,
      committedQuantity: this.committedQuantity ?? 0,
      remainingQuantity: this.quantity - (this.committedQuantity ?? 0),
      leadTimeMinutes: this.leadTimeMinutes,
      coverage: this.coverage,
      capabilityTier: this.capabilityTier,
      clearance: this.clearance,
      description: this.description,
      status: this.status,
      attestedAt: this.attestedAt.toISOString(),
      stale: this.isStale(now, maxAgeDays),
      unavailableNow: windows.some((w) => new Date(w.from) <= now && now < new Date(w.to)),
      unavailability: windows,
      version: this.version,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}

