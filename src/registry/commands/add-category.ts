import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef } from '../../common/auth/role.js';
import { ConflictError } from '../../common/errors/domain-error.js';

export interface CategoryView {
  code: string;
  label: string;
}

export class AddCategoryCommand extends Command<CategoryView> {
  constructor(
    readonly actor: ActorRef,
    readonly category: CategoryView,
  ) {
    super();
  }
}

/** Asset categories are reference data the ADMIN extends. */
@CommandHandler(AddCategoryCommand)
export class AddCategoryHandler implements ICommandHandler<AddCategoryCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async execute({ actor, category }: AddCategoryCommand): Promise<CategoryView> {
    return this.db.transaction(async (manager) => {
      const inserted = await manager.query(
        `INSERT INTO asset_category (code, label) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code`,
        [category.code, category.label.trim()],
      );
      if (inserted.length === 0) throw new ConflictError('CATEGORY.EXISTS', `Category ${category.code} already exists`);
      const view = { code: category.code, label: category.label.trim() };
      await this.audit.append(manager, actor, [{ aggregateType: 'Category', aggregateId: category.code, type: 'CategoryAdded', payload: view }]);
      return view;
    });
  }
}
