import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ForbiddenError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { type AreaInput, toArea } from '../../registry/domain/area.js';
import { Convention, type ConventionTerms, type ConventionView } from '../domain/convention.js';
import { ConventionStore } from '../persistence/convention.schema.js';
import { assertTermsFitRegistry } from './convention-terms.js';

export class DraftConventionCommand extends Command<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly input: Omit<ConventionTerms, 'scope'> & { scope: AreaInput; memberId: string; directorateCode?: string },
  ) {
    super();
  }
}

/** A DIRECTORATE user drafts a convention, for its own directorate, with one ACTIVE member. */
@CommandHandler(DraftConventionCommand)
export class DraftConventionHandler implements ICommandHandler<DraftConventionCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, input }: DraftConventionCommand): Promise<ConventionView> {
    const directorateCode = actor.directorateCode!;
    if (input.directorateCode !== undefined && input.directorateCode !== directorateCode) {
      throw new ForbiddenError('CONVENTION.OTHER_DIRECTORATE', `A ${directorateCode} user cannot draft a convention for ${input.directorateCode}`);
    }
    const { memberId, directorateCode: _ignored, scope, ...terms } = input;
    const convention = Convention.draft({ ...terms, scope: toArea(scope, 'scope'), id: randomUUID(), memberId, directorateCode, createdBy: actor.userId, now: this.clock.now() });
    return this.db.transaction(async (manager) => {
      await assertTermsFitRegistry(manager, memberId, directorateCode, convention);
      await new ConventionStore(manager).insert(convention);
      const view = convention.toView();
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Convention', aggregateId: convention.id, type: 'ConventionDrafted', payload: { ...view } },
      ]);
      return view;
    });
  }
}
