import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { UserView } from '../domain/user.js';
import { UserNotFoundError } from '../domain/user.errors.js';
import { UserSchema } from '../persistence/user.schema.js';

export class GetUserQuery extends Query<UserView> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ id }: GetUserQuery): Promise<UserView> {
    const user = await this.db.getRepository(UserSchema).findOneBy({ id });
    if (!user) throw new UserNotFoundError(id);
    return user.toView();
  }
}
