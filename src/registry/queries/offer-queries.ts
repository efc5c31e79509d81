import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import type { OfferView } from '../domain/unsolicited-offer.js';
import type { OffersFilter } from '../dto/offer.dto.js';
import { UnsolicitedOfferSchema } from '../persistence/registry.schemas.js';

export class ListOffersQuery extends Query<Page<OfferView>> {
  constructor(
    readonly actor: Actor,
    readonly filter: OffersFilter,
  ) {
    super();
  }
}

/** The ADMIN (who triages) and auditors see every offer; anyone else the offers they recorded. */
@QueryHandler(ListOffersQuery)
export class ListOffersHandler implements IQueryHandler<ListOffersQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, filter }: ListOffersQuery): Promise<Page<OfferView>> {
    const seesAll = actor.role === 'ADMIN' || actor.role === 'AUDITOR';
    const [offers, total] = await this.db.getRepository(UnsolicitedOfferSchema).findAndCount({
      where: { ...(seesAll ? {} : { recordedBy: actor.userId }), ...(filter.status ? { status: filter.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: offsetOf(filter),
      take: filter.pageSize,
    });
    return { items: offers.map((offer) => offer.toView()), total, page: filter.page, pageSize: filter.pageSize };
  }
}
