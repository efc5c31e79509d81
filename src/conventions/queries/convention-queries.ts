import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { assertMaySee, visibilityScope } from '../access.js';
import type { Convention, ConventionView } from '../domain/convention.js';
import { ConventionNotFoundError } from '../domain/convention.errors.js';
import type { ConventionsFilter } from '../dto/convention.dto.js';
import { ConventionSchema, ConventionStore } from '../persistence/convention.schema.js';

export class ListConventionsQuery extends Query<Page<ConventionView>> {
  constructor(
    readonly actor: Actor,
    readonly filter: ConventionsFilter,
  ) {
    super();
  }
}

@QueryHandler(ListConventionsQuery)
export class ListConventionsHandler implements IQueryHandler<ListConventionsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, filter }: ListConventionsQuery): Promise<Page<ConventionView>> {
    const query = this.db.getRepository(ConventionSchema).createQueryBuilder('c');
    // The caller's own scope always applies, on top of whatever it filters on.
    const own = visibilityScope(actor);
    if (own.memberId) query.andWhere('c.member_id = :ownMember', { ownMember: own.memberId });
    if (own.directorateCode) query.andWhere('c.directorate_code = :ownDirectorate', { ownDirectorate: own.directorateCode });
    if (filter.memberId) query.andWhere('c.member_id = :memberId', { memberId: filter.memberId });
    if (filter.directorateCode) query.andWhere('c.directorate_code = :directorateCode', { directorateCode: filter.directorateCode });
    if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter.expiringBefore) query.andWhere('c.ends_on < :expiringBefore', { expiringBefore: filter.expiringBefore });
    query.orderBy('c.ends_on', 'ASC').addOrderBy('c.id', 'ASC').offset(offsetOf(filter)).limit(filter.pageSize);
    const [conventions, total] = await query.getManyAndCount();
    await new ConventionStore(this.db.manager).attachAssets(conventions);
    return { items: conventions.map((c) => c.toView()), total, page: filter.page, pageSize: filter.pageSize };
  }
}

export class GetConventionQuery extends Query<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
  ) {
    super();
  }
}

/** A convention with its assets, if the caller may see it; 404 otherwise, as for one that does not exist. */
export async function conventionFor(manager: EntityManager, actor: Actor, conventionId: string): Promise<Convention> {
  const convention = await manager.getRepository(ConventionSchema).findOneBy({ id: conventionId });
  if (!convention) throw new ConventionNotFoundError(conventionId);
  assertMaySee(actor, convention);
  await new ConventionStore(manager).attachAssets([convention]);
  return convention;
}

@QueryHandler(GetConventionQuery)
export class GetConventionHandler implements IQueryHandler<GetConventionQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, conventionId }: GetConventionQuery): Promise<ConventionView> {
    return (await conventionFor(this.db.manager, actor, conventionId)).toView();
  }
}
