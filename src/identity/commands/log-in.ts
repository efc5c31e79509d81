import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { AccessTokenClaims } from '../../common/auth/access.guard.js';
import { refusalOf } from '../../common/auth/token-revocation.js';
import { InvalidCredentialsError } from '../domain/user.errors.js';
import { PasswordHasher } from '../password-hasher.js';
import { UserSchema } from '../persistence/user.schema.js';

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export class LogInCommand extends Command<AccessToken> {
  constructor(
    readonly email: string,
    readonly password: string,
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
    private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ email, password }: LogInCommand): Promise<AccessToken> {
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
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      ...(user.memberId ? { memberId: user.memberId } : {}),
      ...(user.directorateCode ? { directorateCode: user.directorateCode } : {}),
      ver: user.tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwt.ttlSeconds });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds };
  }
}
