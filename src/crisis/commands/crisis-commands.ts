import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import type { CrisisType } from '../../common/domain/crisis-types.js';
import { ConflictError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { LIVE_ACTIVATION_STATUSES } from '../domain/activation.js';
import { Crisis, type CrisisView } from '../domain/crisis.js';
import { CrisisNotFoundError } from '../domain/crisis.errors.js';
import { CrisisSchema } from '../persistence/crisis.persistence.js';

export interface CrisisInput {
  title: string;
  type: CrisisType;
  departements: string[];
  severity: number;
  exercise?: boolean;
}

export class OpenCrisisCommand extends Command<CrisisView> {
  constructor(
    readonly actor: Actor,
    readonly input: CrisisInput,
  ) {
    super();
  }
}

/** The crisis cell is activated: this instant is T0 of every activation timeline. */
@CommandHandler(OpenCrisisCommand)
export class OpenCrisisHandler implements ICommandHandler<OpenCrisisCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, input }: OpenCrisisCommand): Promise<CrisisView> {
    const crisis = Crisis.open({ ...input, exercise: input.exercise ?? false, id: randomUUID(), by: actor.userId, now: this.clock.now() });
    return this.db.transaction(async (manager) => {
      await manager.getRepository(CrisisSchema).insert(crisis);
      const view = crisis.toView();
      await this.audit.append(manager, actorRef(actor), [{ aggregateType: 'Crisis', aggregateId: crisis.id, type: 'CrisisOpened', payload: { ...view } }]);
      return view;
    });
  }
}

export class CloseCrisisCommand extends Command<CrisisView> {
  constructor(
    readonly actor: Actor,
    readonly crisisId: string,
  ) {
    super();
  }
}

/** Closes a crisis once none of its activations is still pending or running. */
@CommandHandler(CloseCrisisCommand)
export class CloseCrisisHandler implements ICommandHandler<CloseCrisisCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, crisisId }: CloseCrisisCommand): Promise<CrisisView> {
    return this.db.transaction(async (manager) => {
      const crises = manager.getRepository(CrisisSchema);
      const crisis = await crises.findOne({ where: { id: crisisId }, lock: { mode: 'pessimistic_write' } });
      if (!crisis) throw new CrisisNotFoundError(crisisId);
      const live = await manager.query(`SELECT id, status FROM activation WHERE crisis_id = $1 AND status = ANY($2::text[])`, [
        crisisId,
        LIVE_ACTIVATION_STATUSES,
      ]);
      if (live.length > 0) {
        throw new ConflictError(
          'CRISIS.ACTIVATIONS_IN_PROGRESS',
          `Crisis ${crisisId} still has ${live.length} activation(s) pending or in progress (${live.map((a: { id: string; status: string }) => `${a.id}: ${a.status}`).join(', ')}); close or cancel them first`,
        );
      }
      crisis.close(actor.userId, this.clock.now());
      await crises.save(crisis);
      await this.audit.append(manager, actorRef(actor), [{ aggregateType: 'Crisis', aggregateId: crisis.id, type: 'CrisisClosed', payload: { closedAt: crisis.closedAt } }]);
      return crisis.toView();
    });
  }
}
