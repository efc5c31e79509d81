import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { refusalOf } from '../../common/auth/token-revocation.js';
import { Clock } from '../../common/time/clock.js';
import { OtpInvalidError, OtpRequiredError } from '../domain/second-factor.errors.js';
import type { User } from '../domain/user.js';
import { InvalidCredentialsError } from '../domain/user.errors.js';
import { PasswordHasher } from '../password-hasher.js';
import { loadSecondFactor } from '../persistence/second-factor.store.js';
import { UserSchema } from '../persistence/user.schema.js';
import { epochSeconds, SecondFactorCheck } from '../second-factor/second-factor-check.js';
import { SessionTokens, type SignInProof, type SignedIn } from '../session-tokens.js';

export type { AccessToken, SignedIn } from '../session-tokens.js';

export interface LogInOptions {
  /** The second factor's code (or a recovery code), required once the user has enrolled one. */
  otp?: string;
  /** For the browser session cookie rather than a bearer token. */
  kind?: 'bearer' | 'session';
}

export class LogInCommand extends Command<SignedIn> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly options: LogInOptions = {},
  ) {
    super();
  }
}

@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  private readonly logger = new Logger(LogInHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly check: SecondFactorCheck,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ email, password, options }: LogInCommand): Promise<SignedIn> {
    const user = await this.db.getRepository(UserSchema).findOneBy({ email: email.trim().toLowerCase() });
    const valid = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyNothing(password);
    if (!user || !valid) {
      this.logger.warn({ email: email.trim().toLowerCase() }, 'LogInHandler: refused sign-in');
      throw new InvalidCredentialsError();
    }
    // Said only to whoever knows the password: the account exists, but may not act.
    const memberWithdrawn =
      user.memberId !== null && (await this.db.query(`SELECT 1 FROM member WHERE id = $1 AND status = 'WITHDRAWN'`, [user.memberId])).length > 0;
    const refusal = refusalOf({ disabled: user.disabled, memberWithdrawn });
    if (refusal) throw refusal;
    return this.tokens.issue(user, await this.secondFactor(user, options.otp), options.kind ?? 'bearer');
  }

  /**
   * After the password, and only then: the second factor of a user who enrolled one (a code used
   * once, or a recovery code), or, for a role that must have one, a token that may only enrol it.
   */
  private async secondFactor(user: User, otp: string | undefined): Promise<SignInProof> {
    const enrolled = (await loadSecondFactor(this.db.manager, user.id))?.confirmed ?? false;
    if (!enrolled) return { amr: ['pwd'], ...(this.config.mfa.requiredRoles.includes(user.role) ? { enrolmentPending: true } : {}) };
    if (otp === undefined) throw new OtpRequiredError();
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      const factor = await loadSecondFactor(manager, user.id, true);
      const accepted = factor?.confirmed === true && (await this.check.accept(manager, factor, otp, now, { id: user.id, role: user.role }, 'sign-in'));
      if (!accepted) {
        this.logger.warn({ userId: user.id }, 'LogInHandler: wrong second factor code');
        throw new OtpInvalidError();
      }
    });
    return { amr: ['pwd', 'otp'], mfaAt: epochSeconds(now) };
  }
}
