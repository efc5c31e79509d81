import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { TokenRevocation } from '../../common/auth/token-revocation.js';
import { Clock } from '../../common/time/clock.js';
import { RECOVERY_CODE_COUNT } from '../domain/second-factor.js';
import { SecondFactorAlreadyEnrolledError, SecondFactorCodeInvalidError, SecondFactorNotEnrolledError } from '../domain/second-factor.errors.js';
import type { User } from '../domain/user.js';
import { loadSecondFactor, replaceRecoveryCodes, saveSecondFactor } from '../persistence/second-factor.store.js';
import { newRecoveryCodes, recoveryCodeHash } from '../second-factor/recovery-codes.js';
import { epochSeconds, withOtp } from '../second-factor/second-factor-check.js';
import { SecretBox } from '../second-factor/secret-box.js';
import { totpTimeStep } from '../second-factor/totp.js';
import { SessionTokens, type SignedIn } from '../session-tokens.js';
import { AccountChange } from './account-commands.js';

export interface ConfirmedEnrolment {
  /** Shown once: only their hashes are kept. */
  recoveryCodes: string[];
  signedIn: SignedIn;
}

export class ConfirmTotpEnrolmentCommand extends Command<ConfirmedEnrolment> {
  constructor(
    readonly actor: Actor,
    readonly code: string,
  ) {
    super();
  }
}

/**
 * The first right code of the pending secret confirms it: from now on the user signs in with a
 * code. In one transaction: the factor confirmed (the code's time step used), ten recovery codes,
 * the user's other sessions ended (they were opened without the second factor), and the audit
 * event. The caller gets a fresh token that says the second factor was just checked.
 */
@CommandHandler(ConfirmTotpEnrolmentCommand)
export class ConfirmTotpEnrolmentHandler extends AccountChange implements ICommandHandler<ConfirmTotpEnrolmentCommand> {
  constructor(
    @InjectDataSource() db: DataSource,
    audit: AuditLog,
    revocation: TokenRevocation,
    clock: Clock,
    private readonly box: SecretBox,
    private readonly tokens: SessionTokens,
  ) {
    super(db, audit, revocation, clock);
  }

  async execute({ actor, code }: ConfirmTotpEnrolmentCommand): Promise<ConfirmedEnrolment> {
    let confirmed: { user: User; recoveryCodes: string[]; at: Date } | undefined;
    await this.change(actorRef(actor), actor.userId, async (user, now, manager) => {
      const factor = await loadSecondFactor(manager, user.id, true);
      if (!factor) throw new SecondFactorNotEnrolledError('No enrolment is under way; start one (POST /users/me/mfa/totp)');
      if (factor.confirmed) throw new SecondFactorAlreadyEnrolledError();
      const timeStep = await totpTimeStep(this.box.open(factor.encryptedSecret, user.id), code, now, factor.lastTimeStep);
      if (timeStep === null) throw new SecondFactorCodeInvalidError('code');
      factor.confirm(timeStep, now);
      await saveSecondFactor(manager, factor);
      const recoveryCodes = newRecoveryCodes();
      await replaceRecoveryCodes(manager, user.id, recoveryCodes.map(recoveryCodeHash), now);
      user.endSessions(now);
      confirmed = { user, recoveryCodes, at: now };
      return { type: 'UserSecondFactorEnrolled', payload: { method: 'totp', recoveryCodes: RECOVERY_CODE_COUNT } };
    });
    const { user, recoveryCodes, at } = confirmed!;
    const signedIn = await this.tokens.issue(user, { amr: withOtp(actor.amr), mfaAt: epochSeconds(at) }, actor.via === 'session' ? 'session' : 'bearer');
    return { recoveryCodes, signedIn };
  }
}
