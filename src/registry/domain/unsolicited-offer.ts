import { type TransitionTable, allowedActions, transition } from '../../common/domain/lifecycle.js';

export const OFFER_STATUSES = ['QUARANTINED', 'ACCEPTED', 'REJECTED'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
type OfferAction = 'accept' | 'reject';

/**
 * The ministry's "no added entropy" rule: a spontaneous offer stays in quarantine, never
 * eligible, until an ADMIN triages it.
 */
export const OFFER_LIFECYCLE: TransitionTable<OfferStatus, OfferAction> = {
  accept: { from: ['QUARANTINED'], to: 'ACCEPTED' },
  reject: { from: ['QUARANTINED'], to: 'REJECTED' },
};

export interface OfferView {
  id: string;
  offeredBy: string;
  description: string;
  category: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  status: OfferStatus;
  allowedActions: OfferAction[];
  recordedBy: string;
  triagedBy: string | null;
  triagedAt: string | null;
  triageReason: string | null;
  memberId: string | null;
  assetId: string | null;
  createdAt: string;
}

export class UnsolicitedOffer {
  id: string;
  offeredBy: string;
  description: string;
  category: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  status: OfferStatus;
  recordedBy: string;
  triagedBy: string | null;
  triagedAt: Date | null;
  triageReason: string | null;
  memberId: string | null;
  assetId: string | null;
  createdAt: Date;

  static record(input: {
    id: string;
    offeredBy: string;
    description: string;
    category?: string | null;
    contactName?: string | null;
    contactEmail?: string | null;
    contactPhone?: string | null;
    recordedBy: string;
    now: Date;
  }): UnsolicitedOffer {
    const offer = new UnsolicitedOffer();
    Object.assign(offer, {
      id: input.id,
      offeredBy: input.offeredBy.trim(),
      description: input.description.trim(),
      category: input.category ?? null,
      contactName: input.contactName ?? null,
      contactEmail: input.contactEmail ?? null,
      contactPhone: input.contactPhone ?? null,
      status: 'QUARANTINED',
      recordedBy: input.recordedBy,
      triagedBy: null,
      triagedAt: null,
      triageReason: null,
      memberId: null,
      assetId: null,
      createdAt: input.now,
    });
    return offer;
  }

  accept(by: string, link: { memberId: string; assetId: string | null }, reason: string | null, now: Date): void {
    this.status = transition(OFFER_LIFECYCLE, 'unsolicited offer', this.status, 'accept');
    Object.assign(this, { ...link, triagedBy: by, triagedAt: now, triageReason: reason });
  }

  reject(by: string, reason: string, now: Date): void {
    this.status = transition(OFFER_LIFECYCLE, 'unsolicited offer', this.status, 'reject');
    Object.assign(this, { triagedBy: by, triagedAt: now, triageReason: reason });
  }

  toView(): OfferView {
    return {
      id: this.id,
      offeredBy: this.offeredBy,
      description: this.description,
      category: this.category,
      contactName: this.contactName,
      contactEmail: this.contactEmail,
      contactPhone: this.contactPhone,
      status: this.status,
      allowedActions: allowedActions(OFFER_LIFECYCLE, this.status),
      recordedBy: this.recordedBy,
      triagedBy: this.triagedBy,
      triagedAt: this.triagedAt?.toISOString() ?? null,
      triageReason: this.triageReason,
      memberId: this.memberId,
      assetId: this.assetId,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
