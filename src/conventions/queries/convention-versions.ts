import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { conventionRecords, recordHash } from '../document/convention-record.js';
import { type TermChange, termChanges } from '../domain/convention-changes.js';
import type { ConventionView } from '../domain/convention.js';
import { ConventionSchema, ConventionStore } from '../persistence/convention.schema.js';
import { conventionFor } from './convention-queries.js';

export interface ConventionVersion extends ConventionView {
  /** SHA-256 of the version's record: the hash its document carries. */
  hash: string;
  inForce: boolean;
  /** What this version changes from the one in force (from the one before it when none is in force); null for the version in force and the first. */
  changes: TermChange[] | null;
}

export interface ConventionVersions {
  lineageId: string;
  inForceId: string | null;
  versions: ConventionVersion[];
}

export class ListConventionVersionsQuery extends Query<ConventionVersions> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
  ) {
    super();
  }
}

/** Every version of the convention the id belongs to, oldest first, each compared with the version in force. */
@QueryHandler(ListConventionVersionsQuery)
export class ListConventionVersionsHandler implements IQueryHandler<ListConventionVersionsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, conventionId }: ListConventionVersionsQuery): Promise<ConventionVersions> {
    const asked = await conventionFor(this.db.manager, actor, conventionId);
    const lineage = await this.db.getRepository(ConventionSchema).find({ where: { lineageId: asked.lineageId }, order: { version: 'ASC' } });
    await new ConventionStore(this.db.manager).attachAssets(lineage);
    const records = await conventionRecords(this.db.manager, lineage);
    const views = lineage.map((c) => c.toView());
    const inForce = views.find((view) => view.status === 'ACTIVE' || view.status === 'SUSPENDED') ?? null;
    return {
      lineageId: asked.lineageId,
      inForceId: inForce?.id ?? null,
      versions: views.map((view, index) => {
        const reference = inForce ?? views[index - 1] ?? null;
        return {
          ...view,
          hash: recordHash(records[index]),
          inForce: view.id === inForce?.id,
          changes: reference && reference.id !== view.id ? termChanges(reference, view) : null,
        };
      }),
    };
  }
}
