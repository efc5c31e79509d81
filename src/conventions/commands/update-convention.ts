import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ForbiddenError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { StaleVersionError } from '../../registry/domain/registry.errors.js';
import { assertMaySee } from '../access.js';
import { type AreaInput, toArea } from '../../registry/domain/area.js';
import type { ConventionTerms, ConventionView } from '../domain/convention.js';
import { ConventionStore } from '../persistence/convention.schema.js';
import { assertTermsFitRegistry } from './convention-terms.js';

export class UpdateConventionCommand extends Command<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
    readonly changes: Partial<Omit<ConventionTerms, 'scope'>> & { scope?: AreaInput; rowVersion?: number },
  ) {
    super();
  }
}

/** The drafting directorate edits a DRAFT; any other state is refused (409). */
@CommandHandler(UpdateConventionCommand)
export class UpdateConventionHandler implements ICommandHandler<UpdateConventionCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, conventionId, changes }: UpdateConventionCommand): Promise<ConventionView> {
    const { rowVersion, scope, ...rest } = changes;
    const terms: Partial<ConventionTerms> = { ...rest, ...(scope ? { scope: toArea(scope, 'scope') } : {}) };
    return this.db.transaction(async (manager) => {
      const store = new ConventionStore(manager);
      const convention = await store.forChange(conventionId);
      assertMaySee(actor, convention);
      if (!convention.isParty(actor, 'DIRECTORATE')) throw new ForbiddenError('CONVENTION.WRONG_PARTY', 'Only the directorate party may edit a draft');
      if (rowVersion !== undefined && rowVersion !== convention.rowVersion) throw new StaleVersionError('Convention', conventionId, convention.rowVersion);
      convention.revise(terms, this.clock.now());
      await assertTermsFitRegistry(manager, convention.memberId, convention.directorateCode, convention);
      await store.update(convention, terms.assetIds !== undefined);
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Convention', aggregateId: convention.id, type: 'ConventionDraftEdited', payload: { changes: terms, rowVersion: convention.rowVersion } },
      ]);
      return convention.toView();
    });
  }
}
