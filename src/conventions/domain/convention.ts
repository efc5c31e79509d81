import type { Actor } from '../../common/auth/role.js';
import type { CrisisType } from '../../common/domain/crisis-types.js';
import { allowedActions, type TransitionTable, transition } from '../../common/domain/lifecycle.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../common/errors/domain-error.js';
import { addDays, addMonths, daysBetween } from '../../common/time/calendar.js';
import type { Area } from '../../registry/domain/area.js';

export const CONVENTION_STATUSES = ['DRAFT', 'PROPOSED', 'SIGNED', 'ACTIVE', 'SUSPENDED', 'TERMINATED', 'EXPIRED', 'SUPERSEDED'] as const;
export type ConventionStatus = (typeof CONVENTION_STATUSES)[number];

export type ConventionAction =
  | 'propose' | 'reject' | 'sign' | 'countersign' | 'suspend' | 'resume' | 'terminate' | 'renew' | 'amend' | 'expire' | 'supersede';
/** The actions that move the convention itself from one state to another. */
type StepAction = Exclude<ConventionAction, 'renew' | 'amend'>;
/** Who may take an action: one party, either party, or the system (jobs, amendments). */
type Party = 'DIRECTORATE' | 'MEMBER' | 'EITHER' | 'SYSTEM';

/**
 * The convention lifecycle, one table: DRAFT →propose→ PROPOSED →sign→ SIGNED →countersign→
 * ACTIVE ↔ SUSPENDED; ACTIVE/SUSPENDED →terminate→ TERMINATED; ACTIVE →expire→ EXPIRED; PROPOSED
 * →reject→ DRAFT; an amendment countersigned supersedes the version in force. Renewing and
 * amending leave an ACTIVE convention ACTIVE (the amendment is a new version, in DRAFT): they are
 * in the table all the same, so that what a convention allows is read from one place.
 */
export const CONVENTION_LIFECYCLE: TransitionTable<ConventionStatus, ConventionAction> = {
  propose: { from: ['DRAFT'], to: 'PROPOSED' },
  reject: { from: ['PROPOSED'], to: 'DRAFT' },
  sign: { from: ['PROPOSED'], to: 'SIGNED' },
  countersign: { from: ['SIGNED'], to: 'ACTIVE' },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'ACTIVE' },
  terminate: { from: ['ACTIVE', 'SUSPENDED'], to: 'TERMINATED' },
  expire: { from: ['ACTIVE'], to: 'EXPIRED' },
  supersede: { from: ['ACTIVE', 'SUSPENDED'], to: 'SUPERSEDED' },
  renew: { from: ['ACTIVE'], to: 'ACTIVE' },
  amend: { from: ['ACTIVE'], to: 'ACTIVE' },
};

const PARTY_OF_ACTION: Record<ConventionAction, Party> = {
  propose: 'DIRECTORATE',
  reject: 'MEMBER',
  sign: 'MEMBER',
  countersign: 'DIRECTORATE',
  suspend: 'DIRECTORATE',
  resume: 'DIRECTORATE',
  terminate: 'EITHER',
  expire: 'SYSTEM',
  supersede: 'SYSTEM',
  renew: 'DIRECTORATE',
  amend: 'DIRECTORATE',
};

const EVENT_OF_ACTION: Record<StepAction, string> = {
  propose: 'ConventionProposed',
  reject: 'ConventionRejected',
  sign: 'ConventionSigned',
  countersign: 'ConventionCountersigned',
  suspend: 'ConventionSuspended',
  resume: 'ConventionResumed',
  terminate: 'ConventionTerminated',
  expire: 'ConventionExpired',
  supersede: 'ConventionSuperseded',
};

/** The actions reserved to the parties, as the API offers them. */
export const PARTY_ACTIONS = ['propose', 'reject', 'sign', 'countersign', 'suspend', 'resume', 'terminate'] as const;
export type PartyAction = (typeof PARTY_ACTIONS)[number];

export type Scope = Area;

export interface ConventionTerms {
  crisisTypes: CrisisType[];
  scope: Scope;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
  startsOn: string;
  endsOn?: string;
  reviewOn?: string;
  tacitRenewal?: boolean;
  assetIds: string[];
  memberContactIds?: string[];
  directorateContactId?: string | null;
}

export interface ConventionView {
  id: string;
  lineageId: string;
  version: number;
  previousVersionId: string | null;
  memberId: string;
  directorateCode: string;
  status: ConventionStatus;
  allowedActions: ConventionAction[];
  assetIds: string[];
  crisisTypes: CrisisType[];
  scope: Scope;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
  startsOn: string;
  endsOn: string;
  reviewOn: string;
  tacitRenewal: boolean;
  renewals: number;
  memberContactIds: string[];
  directorateContactId: string | null;
  statusReason: string | null;
  signedAt: string | null;
  countersignedAt: string | null;
  rowVersion: number;
  createdAt: string;
  updatedAt: string;
}

export class Convention {
  id: string;
  lineageId: string;
  version: number;
  previousVersionId: string | null;
  memberId: string;
  directorateCode: string;
  status: ConventionStatus;
  crisisTypes: CrisisType[];
  national: boolean;
  departements: string[];
  ackWithinMinutes: number;
  deployWithinMinutes: number;
  startsOn: string;
  endsOn: string;
  termDays: number;
  reviewOn: string;
  tacitRenewal: boolean;
  memberContactIds: string[];
  directorateContactId: string | null;
  statusReason: string | null;
  signedAt: Date | null;
  signedBy: string | null;
  countersignedAt: Date | null;
  countersignedBy: string | null;
  reviewRemindedFor: string | null;
  renewals: number;
  rowVersion: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Loaded with the convention; kept in convention_asset. */
  assetIds: string[] = [];

  static draft(input: ConventionTerms & { id: string; memberId: string; directorateCode: string; createdBy: string; now: Date }): Convention {
    const convention = new Convention();
    Object.assign(convention, {
      id: input.id,
      lineageId: input.id,
      version: 1,
      previousVersionId: null,
      memberId: input.memberId,
      directorateCode: input.directorateCode,
      status: 'DRAFT',
      statusReason: null,
      signedAt: null,
      signedBy: null,
      countersignedAt: null,
      countersignedBy: null,
      reviewRemindedFor: null,
      renewals: 0,
      rowVersion: 1,
      createdBy: input.createdBy,
      createdAt: input.now,
      updatedAt: input.now,
    });
    convention.setTerms(input);
    return convention;
  }

  /** Version n+1 in DRAFT, same terms, linked to this one; this one stays in force meanwhile. */
  amend(id: string, createdBy: string, now: Date): Convention {
    this.assertAllows('amend', 'amended');
    const amendment = Object.assign(new Convention(), this, {
      id,
      version: this.version + 1,
      previousVersionId: this.id,
      status: 'DRAFT',
      statusReason: null,
      signedAt: null,
      signedBy: null,
      countersignedAt: null,
      countersignedBy: null,
      reviewRemindedFor: null,
      rowVersion: 1,
      createdBy,
      createdAt: now,
      updatedAt: now,
      assetIds: [...this.assetIds],
      crisisTypes: [...this.crisisTypes],
      departements: [...this.departements],
      memberContactIds: [...this.memberContactIds],
    });
    return amendment;
  }

  /** Only a DRAFT's terms can change: anything else is amended instead. */
  revise(proposed: Partial<ConventionTerms>, now: Date): void {
    const changes = Object.fromEntries(Object.entries(proposed).filter(([, value]) => value !== undefined)) as Partial<ConventionTerms>;
    if (this.status !== 'DRAFT') {
      throw new ConflictError('CONVENTION.NOT_EDITABLE', `A convention that is ${this.status} cannot be edited; only a DRAFT can (amend an ACTIVE one)`);
    }
    const merged: ConventionTerms = {
      crisisTypes: this.crisisTypes,
      scope: this.scope,
      ackWithinMinutes: this.ackWithinMinutes,
      deployWithinMinutes: this.deployWithinMinutes,
      startsOn: this.startsOn,
      tacitRenewal: this.tacitRenewal,
      assetIds: this.assetIds,
      memberContactIds: this.memberContactIds,
      directorateContactId: this.directorateContactId,
      ...changes,
    };
    // A new start or end moves the defaults that were derived from them.
    const periodMoved = changes.startsOn !== undefined || changes.endsOn !== undefined;
    merged.endsOn = changes.endsOn ?? (changes.startsOn !== undefined ? undefined : this.endsOn);
    merged.reviewOn = changes.reviewOn ?? (periodMoved ? undefined : this.reviewOn);
    this.setTerms(merged);
    this.touch(now);
  }

  /** Checks that the actor is the party this action belongs to, then moves the state. */
  act(action: StepAction, actor: Actor | 'SYSTEM', reason: string | null, now: Date): string {
    const party = PARTY_OF_ACTION[action];
    if (actor === 'SYSTEM' ? party !== 'SYSTEM' : !this.isParty(actor, party)) {
      const who = party === 'EITHER' ? 'either party' : party === 'SYSTEM' ? 'the system' : `the ${party.toLowerCase()} party`;
      throw new ForbiddenError('CONVENTION.WRONG_PARTY', `Only ${who} may ${action} a convention`);
    }
    if ((action === 'terminate' || action === 'reject') && !reason) {
      throw InvalidInputError.field('reason', `is required to ${action} a convention`);
    }
    this.status = transition(CONVENTION_LIFECYCLE, 'convention', this.status, action);
    this.statusReason = reason;
    if (action === 'sign' && actor !== 'SYSTEM') Object.assign(this, { signedAt: now, signedBy: actor.userId });
    if (action === 'countersign' && actor !== 'SYSTEM') Object.assign(this, { countersignedAt: now, countersignedBy: actor.userId });
    if (action === 'reject') Object.assign(this, { signedAt: null, signedBy: null });
    this.touch(now);
    return EVENT_OF_ACTION[action];
  }

  /** Extends an ACTIVE convention by one more term (explicitly, or tacitly at its end). */
  renew(now: Date): void {
    this.assertAllows('renew', 'renewed');
    const reviewLead = daysBetween(this.reviewOn, this.endsOn);
    this.endsOn = addDays(this.endsOn, this.termDays);
    this.reviewOn = addDays(this.endsOn, -reviewLead);
    this.reviewRemindedFor = null;
    this.renewals += 1;
    this.touch(now);
  }

  /** Renewal and amendment keep the state: the table says from which states they are taken. */
  private assertAllows(action: 'renew' | 'amend', done: string): void {
    const { from } = CONVENTION_LIFECYCLE[action];
    if (!from.includes(this.status)) {
      throw new ConflictError('CONVENTION.ILLEGAL_TRANSITION', `Cannot ${action} a convention that is ${this.status}; only an ${from.join(' or ')} one can be ${done}`);
    }
  }

  isParty(actor: Actor, party: Party = 'EITHER'): boolean {
    const member = actor.role === 'MEMBER' && actor.memberId === this.memberId;
    const directorate = actor.role === 'DIRECTORATE' && actor.directorateCode === this.directorateCode;
    if (party === 'MEMBER') return member;
    if (party === 'DIRECTORATE') return directorate;
    return party === 'EITHER' && (member || directorate);
  }

  get scope(): Scope {
    return this.national ? { national: true } : { departements: this.departements };
  }

  private setTerms(terms: ConventionTerms): void {
    const endsOn = terms.endsOn ?? addMonths(terms.startsOn, 12);
    if (endsOn <= terms.startsOn) throw InvalidInputError.field('endsOn', 'must be after startsOn');
    const reviewOn = terms.reviewOn ?? maxDay(terms.startsOn, addMonths(endsOn, -3));
    if (reviewOn < terms.startsOn || reviewOn > endsOn) throw InvalidInputError.field('reviewOn', 'must fall between startsOn and endsOn');
    if (terms.assetIds.length === 0) throw InvalidInputError.field('assetIds', 'must name at least one asset');
    Object.assign(this, {
      crisisTypes: [...new Set(terms.crisisTypes)],
      national: 'national' in terms.scope,
      departements: 'departements' in terms.scope ? [...new Set(terms.scope.departements)].sort() : [],
      ackWithinMinutes: terms.ackWithinMinutes,
      deployWithinMinutes: terms.deployWithinMinutes,
      startsOn: terms.startsOn,
      endsOn,
      termDays: daysBetween(terms.startsOn, endsOn),
      reviewOn,
      tacitRenewal: terms.tacitRenewal ?? false,
      assetIds: [...new Set(terms.assetIds)],
      memberContactIds: [...new Set(terms.memberContactIds ?? [])],
      directorateContactId: terms.directorateContactId ?? null,
    });
  }

  private touch(now: Date): void {
    this.rowVersion += 1;
    this.updatedAt = now;
  }

  toView(): ConventionView {
    return {
      id: this.id,
      lineageId: this.lineageId,
      version: this.version,
      previousVersionId: this.previousVersionId,
      memberId: this.memberId,
      directorateCode: this.directorateCode,
      status: this.status,
      // Every POST /conventions/:id/{action} a party may take from this status (editing a DRAFT is a PATCH).
      allowedActions: allowedActions(CONVENTION_LIFECYCLE, this.status).filter((action) => PARTY_OF_ACTION[action] !== 'SYSTEM'),
      assetIds: this.assetIds,
      crisisTypes: this.crisisTypes,
      scope: this.scope,
      ackWithinMinutes: this.ackWithinMinutes,
      deployWithinMinutes: this.deployWithinMinutes,
      startsOn: this.startsOn,
      endsOn: this.endsOn,
      reviewOn: this.reviewOn,
      tacitRenewal: this.tacitRenewal,
      renewals: this.renewals,
      memberContactIds: this.memberContactIds,
      directorateContactId: this.directorateContactId,
      statusReason: this.statusReason,
      signedAt: this.signedAt?.toISOString() ?? null,
      countersignedAt: this.countersignedAt?.toISOString() ?? null,
      rowVersion: this.rowVersion,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}
