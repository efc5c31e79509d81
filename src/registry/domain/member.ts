import { type TransitionTable, allowedActions, transition } from '../../common/domain/lifecycle.js';

export const MEMBER_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const MEMBER_ACTIONS = ['vet', 'suspend', 'reinstate', 'withdraw'] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

/** Charter adhesion: vetted after signature, suspended and reinstated, withdrawn for good. */
export const MEMBER_LIFECYCLE: TransitionTable<MemberStatus, MemberAction> = {
  vet: { from: ['PENDING'], to: 'ACTIVE' },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED' },
  reinstate: { from: ['SUSPENDED'], to: 'ACTIVE' },
  withdraw: { from: ['PENDING', 'ACTIVE', 'SUSPENDED'], to: 'WITHDRAWN' },
};

/**
 * Only these statuses take part: an asset is eligible, a request answered, an offer accepted
 * only for such a member. Leaving them (suspended, withdrawn) stands its open requests down.
 */
export const PARTICIPATING_MEMBER_STATUSES: readonly MemberStatus[] = ['ACTIVE'];

export function participates(status: MemberStatus): boolean {
  return PARTICIPATING_MEMBER_STATUSES.includes(status);
}

const EVENT_OF_ACTION: Record<MemberAction, string> = {
  vet: 'MemberVetted',
  suspend: 'MemberSuspended',
  reinstate: 'MemberReinstated',
  withdraw: 'MemberWithdrawn',
};

export interface MemberView {
  id: string;
  legalName: string;
  siren: string;
  charterSignedAt: string;
  charterSignatory: string;
  webhookUrl: string | null;
  status: MemberStatus;
  statusReason: string | null;
  allowedActions: MemberAction[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A company that signed the charter. */
export class Member {
  id: string;
  legalName: string;
  siren: string;
  charterSignedAt: string;
  charterSignatory: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** The secret a rotation replaced: it keeps signing, beside the new one, until its expiry. */
  webhookPreviousSecret: string | null;
  webhookPreviousSecretExpiresAt: Date | null;
  status: MemberStatus;
  statusReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;

  static register(input: {
    id: string;
    legalName: string;
    siren: string;
    charterSignedAt: string;
    charterSignatory: string;
    webhookUrl: string | null;
    webhookSecret: string | null;
    now: Date;
  }): Member {
    const member = new Member();
    Object.assign(member, {
      ...input,
      legalName: input.legalName.trim(),
      charterSignatory: input.charterSignatory.trim(),
      webhookPreviousSecret: null,
      webhookPreviousSecretExpiresAt: null,
      status: 'PENDING',
      statusReason: null,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
    return member;
  }

  /** Applies a lifecycle action; answers the event type that records it. */
  apply(action: MemberAction, reason: string | null, now: Date): string {
    this.status = transition(MEMBER_LIFECYCLE, 'member', this.status, action);
    this.statusReason = reason;
    this.touch(now);
    return EVENT_OF_ACTION[action];
  }

  /**
   * A new signing secret. The one it replaces signs beside it until `graceEndsAt`, so that the
   * member's receivers keep verifying while it deploys the new one; no grace drops it at once.
   * A secret replaced earlier is dropped: only the last two ever sign.
   */
  rotateWebhookSecret(secret: string, now: Date, graceEndsAt: Date): void {
    const keep = this.webhookSecret !== null && graceEndsAt > now;
    this.webhookPreviousSecret = keep ? this.webhookSecret : null;
    this.webhookPreviousSecretExpiresAt = keep ? graceEndsAt : null;
    this.webhookSecret = secret;
  }

  /** No webhook, no secret: neither the current nor a previous one signs anything any more. */
  removeWebhook(): void {
    this.webhookUrl = null;
    this.webhookSecret = null;
    this.webhookPreviousSecret = null;
    this.webhookPreviousSecretExpiresAt = null;
  }

  touch(now: Date): void {
    this.version += 1;
    this.updatedAt = now;
  }

  toView(): MemberView {
    return {
      id: this.id,
      legalName: this.legalName,
      siren: this.siren,
      charterSignedAt: this.charterSignedAt,
      charterSignatory: this.charterSignatory,
      webhookUrl: this.webhookUrl,
      status: this.status,
      statusReason: this.statusReason,
      allowedActions: allowedActions(MEMBER_LIFECYCLE, this.status),
      version: this.version,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}
