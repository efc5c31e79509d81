import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ForbiddenError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertMaySee } from '../access.js';
import type { ConventionView } from '../domain/convention.js';
import { ConventionStore } from '../persistence/convention.schema.js';

export class RenewConventionCommand extends Command<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
  ) {
    super();
  }
}

/** The directorate extends an ACTIVE convention by one more term. */
@CommandHandler(RenewConventionCommand)
export class RenewConventionHandler implements ICommandHandler<RenewConventionCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, conventionId }: RenewConventionCommand): Promise<ConventionView> {
    return this.db.transaction(async (manager) => {
      const store = new ConventionStore(manager);
      const convention = await store.forChange(conventionId);
      assertMaySee(actor, convention);
      if (!convention.isParty(actor, 'DIRECTORATE')) throw new ForbiddenError('CONVENTION.WRONG_PARTY', 'Only the directorate party may renew a convention');
      const previousEnd = convention.endsOn;
      convention.renew(this.clock.now());
      await store.update(convention);
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'Convention',
          aggregateId: convention.id,
          type: 'ConventionRenewed',
          payload: { tacit: false, previousEndsOn: previousEnd, endsOn: convention.endsOn, reviewOn: convention.reviewOn },
        },
      ]);
      return convention.toView();
    });
  }
}
