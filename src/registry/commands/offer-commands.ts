import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { participates } from '../domain/member.js';
import { type OfferView, UnsolicitedOffer } from '../domain/unsolicited-offer.js';
import { MemberNotActiveError, OfferNotFoundError } from '../domain/registry.errors.js';
import { AssetSchema, UnsolicitedOfferSchema } from '../persistence/registry.schemas.js';

export interface OfferInput {
  offeredBy: string;
  description: string;
  category?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
}

export class RecordOfferCommand extends Command<OfferView> {
  constructor(
    readonly actor: Actor,
    readonly input: OfferInput,
  ) {
    super();
  }
}

/** A spontaneous offer lands in quarantine: recorded, never eligible until triaged. */
@CommandHandler(RecordOfferCommand)
export class RecordOfferHandler implements ICommandHandler<RecordOfferCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, input }: RecordOfferCommand): Promise<OfferView> {
    return this.db.transaction(async (manager) => {
      if (input.category) {
        const [known] = await manager.query(`SELECT 1 FROM asset_category WHERE code = $1`, [input.category]);
        if (!known) throw InvalidInputError.field('category', `is not a known category (${input.category}); see GET /categories`);
      }
      const offer = UnsolicitedOffer.record({ ...input, id: randomUUID(), recordedBy: actor.userId, now: this.clock.now() });
      await manager.getRepository(UnsolicitedOfferSchema).insert(offer);
      const view = offer.toView();
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'UnsolicitedOffer', aggregateId: offer.id, type: 'UnsolicitedOfferQuarantined', payload: { ...view } },
      ]);
      return view;
    });
  }
}

export type TriageDecision =
  | { action: 'accept'; memberId: string; assetId?: string; reason?: string }
  | { action: 'reject'; reason: string };

export class TriageOfferCommand extends Command<OfferView> {
  constructor(
    readonly actor: Actor,
    readonly offerId: string,
    readonly decision: TriageDecision,
  ) {
    super();
  }
}

/**
 * The ADMIN closes the quarantine: accepted offers point at the member (and asset) registered
 * through the normal path; rejected ones keep the reason.
 */
@CommandHandler(TriageOfferCommand)
export class TriageOfferHandler implements ICommandHandler<TriageOfferCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, offerId, decision }: TriageOfferCommand): Promise<OfferView> {
    return this.db.transaction(async (manager) => {
      const offers = manager.getRepository(UnsolicitedOfferSchema);
      const offer = await offers.findOne({ where: { id: offerId }, lock: { mode: 'pessimistic_write' } });
      if (!offer) throw new OfferNotFoundError(offerId);
      const now = this.clock.now();
      if (decision.action === 'accept') {
        // Shared lock: the member cannot be suspended or withdrawn until this triage commits.
        const [member] = await manager.query(`SELECT status FROM member WHERE id = $1 FOR SHARE`, [decision.memberId]);
        if (!member) throw InvalidInputError.field('memberId', 'does not name a registered member');
        if (!participates(member.status)) {
          throw new MemberNotActiveError(decision.memberId, member.status, 'an unsolicited offer cannot be accepted into it');
        }
        if (decision.assetId && !(await manager.getRepository(AssetSchema).existsBy({ id: decision.assetId, memberId: decision.memberId }))) {
          throw InvalidInputError.field('assetId', 'does not name an asset of that member');
        }
        offer.accept(actor.userId, { memberId: decision.memberId, assetId: decision.assetId ?? null }, decision.reason ?? null, now);
      } else {
        offer.reject(actor.userId, decision.reason.trim(), now);
      }
      await offers.save(offer);
      const view = offer.toView();
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'UnsolicitedOffer',
          aggregateId: offer.id,
          type: decision.action === 'accept' ? 'UnsolicitedOfferAccepted' : 'UnsolicitedOfferRejected',
          payload: { status: view.status, memberId: view.memberId, assetId: view.assetId, reason: view.triageReason },
        },
      ]);
      return view;
    });
  }
}
