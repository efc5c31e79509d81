import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UserNotFoundError } from '../domain/user.errors.js';
import { UserSchema } from '../persistence/user.schema.js';
import { withSecondFactorStatus, type UserAccountView } from './user-account.js';

export class GetUserQuery extends Query<UserAccountView> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ id }: GetUserQuery): Promise<UserAccountView> {
    const user = await this.db.getRepository(UserSchema).findOneBy({ id });
    if (!user) throw new UserNotFoundError(id);
    const [view] = await withSecondFactorStatus(this.db.manager, [user.toView()]);
    return view;
  }
}
