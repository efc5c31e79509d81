import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { refusalOf } from '../../common/auth/token-revocation.js';
import { InvalidCredentialsError } from '../domain/user.errors.js';
import { PasswordHasher } from '../password-hasher.js';
import { UserSchema } from '../persistence/user.schema.js';
import { SessionTokens, type SignedIn } from '../session-tokens.js';

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
    return this.tokens.issue(user, { amr: ['pwd'] }, options.kind ?? 'bearer');
  }
}
