import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { SecondFactor } from '../domain/second-factor.js';
import { UserNotFoundError } from '../domain/user.errors.js';
import { loadSecondFactor, saveSecondFactor } from '../persistence/second-factor.store.js';
import { SecretBox } from '../second-factor/secret-box.js';
import { newTotpSecret } from '../second-factor/totp.js';

export interface TotpEnrolment {
  /** The secret in base32, for typing into an authenticator app by hand. */
  secret: string;
  /** The same as an otpauth:// URI, for a QR code. */
  otpauthUri: string;
}

export class BeginTotpEnrolmentCommand extends Command<TotpEnrolment> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/**
 * A new TOTP secret for the caller, pending until a code of it confirms it; it replaces an earlier
 * pending one. Nothing changes for the user's sign-in before the confirmation, so no audit event.
 */
@CommandHandler(BeginTotpEnrolmentCommand)
export class BeginTotpEnrolmentHandler implements ICommandHandler<BeginTotpEnrolmentCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async execute({ actor }: BeginTotpEnrolmentCommand): Promise<TotpEnrolment> {
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      // The user's row serializes its enrolment steps (start, confirm, reset).
      const [user] = await manager.query(`SELECT email FROM users WHERE id = $1 FOR UPDATE`, [actor.userId]);
      if (!user) throw new UserNotFoundError(actor.userId);
      const { secret, otpauthUri } = newTotpSecret();
      const sealed = this.box.seal(secret, actor.userId);
      const factor = await loadSecondFactor(manager, actor.userId, true);
      if (factor) factor.restart(sealed, now);
      await saveSecondFactor(manager, factor ?? SecondFactor.begin(actor.userId, sealed, now));
      return { secret, otpauthUri: otpauthUri(user.email) };
    });
  }
}
