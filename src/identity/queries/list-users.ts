import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import type { UserView } from '../domain/user.js';
import type { UsersFilter } from '../dto/user.dto.js';
import { withSecondFactorStatus, type UserAccountView } from './user-account.js';
import { UserSchema } from '../persistence/user.schema.js';

export class ListUsersQuery extends Query<Page<UserAccountView>> {
  constructor(readonly filter: UsersFilter) {
    super();
  }
}

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ filter }: ListUsersQuery): Promise<Page<UserAccountView>> {
    const [users, total] = await this.db.getRepository(UserSchema).findAndCount({
      where: filter.role ? { role: filter.role } : {},
      order: { email: 'ASC' },
      skip: offsetOf(filter),
      take: filter.pageSize,
    });
    return { items: await withSecondFactorStatus(this.db.manager, users.map((user): UserView => user.toView())), total, page: filter.page, pageSize: filter.pageSize };
  }
}
