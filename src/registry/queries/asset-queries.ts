import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { Clock } from '../../common/time/clock.js';
import { memberScope } from '../access.js';
import type { AssetView } from '../domain/asset.js';
import { AssetNotFoundError } from '../domain/registry.errors.js';
import type { AssetSort, AssetsFilter } from '../dto/asset.dto.js';
import { assetViews } from '../persistence/asset-views.js';
import { AssetSchema } from '../persistence/registry.schemas.js';

const SORT_COLUMNS: Record<AssetSort, string> = {
  createdAt: 'a.created_at',
  name: 'a.name',
  leadTimeMinutes: 'a.lead_time_minutes',
  quantity: 'a.quantity',
  attestedAt: 'a.attested_at',
};

export class SearchAssetsQuery extends Query<Page<AssetView>> {
  constructor(
    readonly actor: Actor,
    readonly filter: AssetsFilter,
  ) {
    super();
  }
}

/**
 * Filtered, sorted, paged search. A MEMBER user sees only its own assets whatever the
 * filters. The département filter matches national assets too (GIN index on the list).
 */
@QueryHandler(SearchAssetsQuery)
export class SearchAssetsHandler implements IQueryHandler<SearchAssetsQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, filter }: SearchAssetsQuery): Promise<Page<AssetView>> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - this.config.readinessMaxAgeDays * 86_400_000);
    const query = this.db.getRepository(AssetSchema).createQueryBuilder('a');
    const memberId = memberScope(actor, filter.memberId);
    if (actor.role === 'MEMBER' && filter.memberId && filter.memberId !== actor.memberId) query.andWhere('false');
    if (memberId) query.andWhere('a.member_id = :memberId', { memberId });
    if (filter.category) query.andWhere('a.category = :category', { category: filter.category });
    if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
    if (filter.departement) query.andWhere('(a.national OR a.departements @> ARRAY[:departement]::text[])', { departement: filter.departement });
    if (filter.stale === true) query.andWhere('a.attested_at < :staleBefore', { staleBefore });
    if (filter.stale === false) query.andWhere('a.attested_at >= :staleBefore', { staleBefore });
    const order = filter.order === 'desc' ? 'DESC' : 'ASC';
    query.orderBy(SORT_COLUMNS[filter.sort], order).addOrderBy('a.id', order).offset(offsetOf(filter)).limit(filter.pageSize);
    const [assets, total] = await query.getManyAndCount();
    return {
      items: await assetViews(this.db, assets, now, this.config.readinessMaxAgeDays),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}

export class GetAssetQuery extends Query<AssetView> {
  constructor(
    readonly actor: Actor,
    readonly assetId: string,
  ) {
    super();
  }
}

@QueryHandler(GetAssetQuery)
export class GetAssetHandler implements IQueryHandler<GetAssetQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, assetId }: GetAssetQuery): Promise<AssetView> {
    const asset = await this.db.getRepository(AssetSchema).findOneBy({ id: assetId });
    if (!asset || (actor.role === 'MEMBER' && asset.memberId !== actor.memberId)) throw new AssetNotFoundError(assetId);
    const [view] = await assetViews(this.db, [asset], this.clock.now(), this.config.readinessMaxAgeDays);
    return view;
  }
}
