import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { assertMaySee } from '../access.js';
import type { ConventionView, PartyAction } from '../domain/convention.js';
import { ConventionSchema, ConventionStore } from '../persistence/convention.schema.js';

export class ActOnConventionCommand extends Command<ConventionView> {
  constructor(
    readonly actor: Actor,
    readonly conventionId: string,
    readonly action: PartyAction,
    readonly reason: string | null,
  ) {
    super();
  }
}

/**
 * One lifecycle step by a party. Countersigning an amendment puts it in force and supersedes
 * the version it amends, in the same transaction: exactly one version is ever in force.
 */
@CommandHandler(ActOnConventionCommand)
export class ActOnConventionHandler implements ICommandHandler<ActOnConventionCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, conventionId, action, reason }: ActOnConventionCommand): Promise<ConventionView> {
    return this.db.transaction(async (manager) => {
      const store = new ConventionStore(manager);
      const convention = await store.forChange(conventionId);
      assertMaySee(actor, convention);
      const now = this.clock.now();
      const events: NewDomainEvent[] = [];

      if (action === 'countersign') {
        const inForce = await manager.getRepository(ConventionSchema).findOne({
          where: [
            { lineageId: convention.lineageId, status: 'ACTIVE' },
            { lineageId: convention.lineageId, status: 'SUSPENDED' },
          ],
          lock: { mode: 'pessimistic_write' },
        });
        if (inForce && inForce.id !== convention.id) {
          const type = inForce.act('supersede', 'SYSTEM', `superseded by version ${convention.version}`, now);
          await store.update(inForce);
          events.push({ aggregateType: 'Convention', aggregateId: inForce.id, type, payload: { supersededBy: convention.id, lineageId: convention.lineageId } });
        }
      }
      const from = convention.status;
      const type = convention.act(action, actor, reason, now);
      await store.update(convention);
      events.push({
        aggregateType: 'Convention',
        aggregateId: convention.id,
        type,
        payload: { from, to: convention.status, reason, lineageId: convention.lineageId, version: convention.version },
      });
      await this.audit.append(manager, actorRef(actor), events);
      return convention.toView();
    });
  }
}
