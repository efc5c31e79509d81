import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ConflictError, ForbiddenError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertMaySee } from '../access.js';
import type { ConventionView } from '../domain/convention.js';
import { ConventionSchema, ConventionStore } from '../persistence/convention.schema.js';

export class AmendConventionCommand extends Command<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
  ) {
    super();
  }
}

/** Opens version n+1 as a DRAFT; the ACTIVE version stays in force until it is countersigned. */
@CommandHandler(AmendConventionCommand)
export class AmendConventionHandler implements ICommandHandler<AmendConventionCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, conventionId }: AmendConventionCommand): Promise<ConventionView> {
    return this.db.transaction(async (manager) => {
      const store = new ConventionStore(manager);
      const current = await store.forChange(conventionId);
      assertMaySee(actor, current);
      if (!current.isParty(actor, 'DIRECTORATE')) throw new ForbiddenError('CONVENTION.WRONG_PARTY', 'Only the directorate party may amend a convention');
      const open = await manager.getRepository(ConventionSchema).findOne({
        where: [
          { lineageId: current.lineageId, status: 'DRAFT' },
          { lineageId: current.lineageId, status: 'PROPOSED' },
          { lineageId: current.lineageId, status: 'SIGNED' },
        ],
      });
      if (open) throw new ConflictError('CONVENTION.AMENDMENT_OPEN', `Version ${open.version} (${open.id}) is already being negotiated (${open.status})`);
      const amendment = current.amend(randomUUID(), actor.userId, this.clock.now());
      await store.insert(amendment);
      const view = amendment.toView();
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Convention', aggregateId: amendment.id, type: 'ConventionAmendmentOpened', payload: { ...view, amends: current.id } },
      ]);
      return view;
    });
  }
}
