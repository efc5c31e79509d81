import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { SecondFactorCodeInvalidError, SecondFactorNotEnrolledError } from '../domain/second-factor.errors.js';
import { UserNotFoundError } from '../domain/user.errors.js';
import { loadSecondFactor } from '../persistence/second-factor.store.js';
import { UserSchema } from '../persistence/user.schema.js';
import { epochSeconds, SecondFactorCheck, withOtp } from '../second-factor/second-factor-check.js';
import { SessionTokens, type SignedIn } from '../session-tokens.js';

export class StepUpCommand extends Command<SignedIn> {
  constructor(
    readonly actor: Actor,
    readonly otp: string,
  ) {
    super();
  }
}

/**
 * A signed-in user proves its second factor again, for a decision that asks for a recent one
 * (authorizing an activation): a fresh token (or session) of the same user, saying when.
 */
@CommandHandler(StepUpCommand)
export class StepUpHandler implements ICommandHandler<StepUpCommand> {
  private readonly logger = new Logger(StepUpHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly check: SecondFactorCheck,
    private readonly tokens: SessionTokens,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, otp }: StepUpCommand): Promise<SignedIn> {
    const now = this.clock.now();
    const user = await this.db.transaction(async (manager) => {
      const found = await manager.getRepository(UserSchema).findOneBy({ id: actor.userId });
      if (!found) throw new UserNotFoundError(actor.userId);
      const factor = await loadSecondFactor(manager, actor.userId, true);
      if (!factor?.confirmed) throw new SecondFactorNotEnrolledError();
      if (!(await this.check.accept(manager, factor, otp, now, actorRef(actor), 'step-up'))) {
        this.logger.warn({ userId: actor.userId }, 'StepUpHandler: wrong second factor code');
        throw new SecondFactorCodeInvalidError('otp');
      }
      return found;
    });
    // The same sign-in, a second factor later: an OpenID sign-in keeps its id, for its logout at the provider.
    return this.tokens.issue(
      user,
      { amr: withOtp(actor.amr), mfaAt: epochSeconds(now), ...(actor.signInId ? { signInId: actor.signInId } : {}) },
      actor.via === 'session' ? 'session' : 'bearer',
    );
  }
}
