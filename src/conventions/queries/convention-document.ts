import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { renderConventionDocument } from '../document/convention-document.js';
import { conventionRecords, recordHash } from '../document/convention-record.js';
import { conventionFor } from './convention-queries.js';

export interface ConventionDocument {
  conventionId: string;
  version: number;
  hash: string;
  pdf: Buffer;
}

export class GetConventionDocumentQuery extends Query<ConventionDocument> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
  ) {
    super();
  }
}

/** The printable convention: the same for every reader, rendered from the version's record, with its hash. */
@QueryHandler(GetConventionDocumentQuery)
export class GetConventionDocumentHandler implements IQueryHandler<GetConventionDocumentQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, conventionId }: GetConventionDocumentQuery): Promise<ConventionDocument> {
    const convention = await conventionFor(this.db.manager, actor, conventionId);
    const [record] = await conventionRecords(this.db.manager, [convention]);
    const hash = recordHash(record);
    return { conventionId, version: convention.version, hash, pdf: await renderConventionDocument(record, hash) };
  }
}
