import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertMayManage } from '../access.js';
import { type AreaInput, toArea } from '../domain/area.js';
import { Asset, type AssetDetails, type AssetView, type OwnerSettableStatus } from '../domain/asset.js';
import { UnitsCommittedError } from '../domain/capacity.js';
import { AssetNotFoundError, MemberNotFoundError, StaleVersionError } from '../domain/registry.errors.js';
import { assetViews } from '../persistence/asset-views.js';
import { AssetSchema, MemberSchema } from '../persistence/registry.schemas.js';

async function assertCategoryExists(manager: EntityManager, category: string): Promise<void> {
  const [row] = await manager.query(`SELECT 1 FROM asset_category WHERE code = $1`, [category]);
  if (!row) throw InvalidInputError.field('category', `is not a known category (${category}); see GET /categories`);
}

/** Loads an asset for change, as its owner (or the ADMIN) may see it: 404 otherwise. */
async function assetForChange(manager: EntityManager, actor: Actor, assetId: string): Promise<Asset> {
  const asset = await manager.getRepository(AssetSchema).findOne({ where: { id: assetId }, lock: { mode: 'pessimistic_write' } });
  if (!asset) throw new AssetNotFoundError(assetId);
  try {
    assertMayManage(actor, asset.memberId);
  } catch {
    throw new AssetNotFoundError(assetId);
  }
  return asset;
}

abstract class AssetCommandHandler {
  constructor(
    @InjectDataSource() protected readonly db: DataSource,
    protected readonly audit: AuditLog,
    protected readonly clock: Clock,
    @Inject(AppConfig) protected readonly config: AppConfig,
  ) {}

  protected async view(manager: EntityManager, asset: Asset): Promise<AssetView> {
    const [view] = await assetViews(manager, [asset], this.clock.now(), this.config.readinessMaxAgeDays);
    return view;
  }
}

export class DeclareAssetCommand extends Command<AssetView> {
  constructor(
    readonly actor: Actor,
    readonly details: Omit<AssetDetails, 'coverage'> & { coverage: AreaInput; memberId?: string },
  ) {
    super();
  }
}

/** A MEMBER declares one of its own assets; declaring it is its first readiness attestation. */
@CommandHandler(DeclareAssetCommand)
export class DeclareAssetHandler extends AssetCommandHandler implements ICommandHandler<DeclareAssetCommand> {
  async execute({ actor, details }: DeclareAssetCommand): Promise<AssetView> {
    const memberId = actor.memberId!;
    if (details.memberId !== undefined && details.memberId !== memberId) throw new MemberNotFoundError(details.memberId);
    const coverage = toArea(details.coverage, 'coverage');
    return this.db.transaction(async (manager) => {
      const member = await manager.getRepository(MemberSchema).findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_read' } });
      if (!member) throw new MemberNotFoundError(memberId);
      if (member.status === 'WITHDRAWN') throw new ConflictError('MEMBER.WITHDRAWN', 'A WITHDRAWN member cannot declare assets');
      await assertCategoryExists(manager, details.category);
      const { memberId: _ignored, ...rest } = details;
      const asset = Asset.declare({ ...rest, coverage, id: randomUUID(), memberId, now: this.clock.now() });
      await manager.getRepository(AssetSchema).insert(asset);
      const view = await this.view(manager, asset);
      await this.audit.append(manager, actorRef(actor), [{ aggregateType: 'Asset', aggregateId: asset.id, type: 'AssetDeclared', payload: { ...view } }]);
      return view;
    });
  }
}

export interface AssetChanges extends Partial<Omit<AssetDetails, 'coverage'>> {
  version: number;
  coverage?: AreaInput;
  status?: OwnerSettableStatus;
}

export class UpdateAssetCommand extends Command<AssetView> {
  constructor(
    readonly actor: Actor,
    readonly assetId: string,
    readonly changes: AssetChanges,
  ) {
    super();
  }
}

/** Edits an asset under optimistic concurrency: the caller's version must be the current one. */
@CommandHandler(UpdateAssetCommand)
export class UpdateAssetHandler extends AssetCommandHandler implements ICommandHandler<UpdateAssetCommand> {
  async execute({ actor, assetId, changes }: UpdateAssetCommand): Promise<AssetView> {
    const { version, status, coverage, ...details } = changes;
    return this.db.transaction(async (manager) => {
      const asset = await assetForChange(manager, actor, assetId);
      if (asset.version !== version) throw new StaleVersionError('Asset', assetId, asset.version);
      if (asset.status === 'RETIRED') throw new ConflictError('ASSET.RETIRED', `Asset ${assetId} is RETIRED; it can no longer change`);
      if (details.category !== undefined) await assertCategoryExists(manager, details.category);
      asset.revise({ ...details, ...(coverage ? { coverage: toArea(coverage, 'coverage') } : {}) });
      if (status !== undefined && status !== asset.status) asset.setStatus(status);
      // The capacity ledger (the accept and release statements keep it, under this same row lock):
      // the quantity may not drop below the units out, and while any are out the asset is ENGAGED.
      const [{ committed }] = await manager.query(`SELECT committed_quantity AS committed FROM asset WHERE id = $1`, [assetId]);
      if (asset.quantity < committed) throw new UnitsCommittedError(assetId, committed, asset.quantity);
      if (committed > 0 && asset.status === 'AVAILABLE') asset.status = 'ENGAGED';
      asset.touch(this.clock.now());
      const updated = await manager.getRepository(AssetSchema).update({ id: assetId, version }, asset);
      if (updated.affected !== 1) throw new StaleVersionError('Asset', assetId, asset.version);
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Asset', aggregateId: asset.id, type: 'AssetUpdated', payload: { memberId: asset.memberId, changes, version: asset.version } },
      ]);
      return this.view(manager, asset);
    });
  }
}

export class AttestAssetCommand extends Command<AssetView> {
  constructor(
    readonly actor: Actor,
    readonly assetId: string,
  ) {
    super();
  }
}

/** The owner confirms the asset is still ready: it is no longer stale. */
@CommandHandler(AttestAssetCommand)
export class AttestAssetHandler extends AssetCommandHandler implements ICommandHandler<AttestAssetCommand> {
  async execute({ actor, assetId }: AttestAssetCommand): Promise<AssetView> {
    return this.db.transaction(async (manager) => {
      const asset = await assetForChange(manager, actor, assetId);
      if (asset.status === 'RETIRED') throw new ConflictError('ASSET.RETIRED', `Asset ${assetId} is RETIRED; there is nothing to attest`);
      const now = this.clock.now();
      asset.attest(now);
      asset.touch(now);
      await manager.getRepository(AssetSchema).save(asset);
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Asset', aggregateId: asset.id, type: 'AssetReadinessAttested', payload: { memberId: asset.memberId, attestedAt: now.toISOString() } },
      ]);
      return this.view(manager, asset);
    });
  }
}

export class AddUnavailabilityCommand extends Command<AssetView> {
  constructor(
    readonly actor: Actor,
    readonly assetId: string,
    readonly window: { from: string; to: string; reason: string },
  ) {
    super();
  }
}

/** A period when the asset cannot be mobilized (maintenance, another engagement). */
@CommandHandler(AddUnavailabilityCommand)
export class AddUnavailabilityHandler extends AssetCommandHandler implements ICommandHandler<AddUnavailabilityCommand> {
  async execute({ actor, assetId, window }: AddUnavailabilityCommand): Promise<AssetView> {
    const from = new Date(window.from);
    const to = new Date(window.to);
    if (!(from < to)) throw InvalidInputError.field('to', 'must be after from');
    return this.db.transaction(async (manager) => {
      const asset = await assetForChange(manager, actor, assetId);
      const id = randomUUID();
      await manager.query(
        `INSERT INTO asset_unavailability (id, asset_id, starts_at, ends_at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, asset.id, from.toISOString(), to.toISOString(), window.reason.trim(), this.clock.now().toISOString()],
      );
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'Asset',
          aggregateId: asset.id,
          type: 'AssetUnavailabilityDeclared',
          payload: { memberId: asset.memberId, windowId: id, from: from.toISOString(), to: to.toISOString(), reason: window.reason },
        },
      ]);
      return this.view(manager, asset);
    });
  }
}
