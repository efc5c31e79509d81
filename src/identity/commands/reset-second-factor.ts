import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef } from '../../common/auth/role.js';
import { TokenRevocation } from '../../common/auth/token-revocation.js';
import { Clock } from '../../common/time/clock.js';
import { CannotResetOwnSecondFactorError, SecondFactorNotEnrolledError } from '../domain/second-factor.errors.js';
import { deleteSecondFactor } from '../persistence/second-factor.store.js';
import { AccountChange } from './account-commands.js';

export class ResetSecondFactorCommand extends Command<void> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: string,
  ) {
    super();
  }
}

/**
 * A user lost its device: an ADMIN removes its second factor and recovery codes, and ends its
 * sessions. The user signs in with its password alone again, and enrols anew (at once, when its
 * role must have a second factor).
 */
@CommandHandler(ResetSecondFactorCommand)
export class ResetSecondFactorHandler extends AccountChange implements ICommandHandler<ResetSecondFactorCommand> {
  constructor(@InjectDataSource() db: DataSource, audit: AuditLog, revocation: TokenRevocation, clock: Clock) {
    super(db, audit, revocation, clock);
  }

  async execute({ actor, userId }: ResetSecondFactorCommand): Promise<void> {
    if (actor.id === userId) throw new CannotResetOwnSecondFactorError();
    await this.change(actor, userId, async (user, now, manager) => {
      if (!(await deleteSecondFactor(manager, user.id))) throw new SecondFactorNotEnrolledError(`User ${user.id} has no second factor to reset`);
      user.endSessions(now);
      return { type: 'UserSecondFactorReset', payload: { email: user.email } };
    });
  }
}
