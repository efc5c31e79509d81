import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CategoryView } from '../commands/add-category.js';

export interface DirectorateView {
  code: string;
  name: string;
}

export class ListDirectoratesQuery extends Query<DirectorateView[]> {}

@QueryHandler(ListDirectoratesQuery)
export class ListDirectoratesHandler implements IQueryHandler<ListDirectoratesQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(): Promise<DirectorateView[]> {
    return this.db.query(`SELECT code, name FROM directorate ORDER BY code`);
  }
}

export class ListCategoriesQuery extends Query<CategoryView[]> {}

@QueryHandler(ListCategoriesQuery)
export class ListCategoriesHandler implements IQueryHandler<ListCategoriesQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(): Promise<CategoryView[]> {
    return this.db.query(`SELECT code, label FROM asset_category ORDER BY code`);
  }
}
