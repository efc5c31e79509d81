import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import type { ContactOwner } from '../../registry/commands/contact-commands.js';
import { CodeExpiredError, CodeInvalidError, TooManyAttemptsError } from '../domain/channel.errors.js';
import { addressOf, type ContactMethodKind, hashVerificationCode, MAX_CODE_ATTEMPTS, sameHash } from '../domain/contact-method.js';
import { assertMayVerify, lockContact, lockMethod, ownerPayload } from './contact-of.js';

export interface MethodVerifiedView {
  contactId: string;
  method: ContactMethodKind;
  address: string;
  verified: true;
  verifiedAt: string;
}

export class ConfirmContactMethodCommand extends Command<MethodVerifiedView> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly contactId: string,
    readonly method: ContactMethodKind,
    readonly code: string,
  ) {
    super();
  }
}

type Outcome = { verified: MethodVerifiedView } | { refused: Error };

/**
 * Checks a code against the one pending for the contact's current address. A wrong code counts
 * (the count is committed even though the answer is an error); after five, only a new code helps.
 */
@CommandHandler(ConfirmContactMethodCommand)
export class ConfirmContactMethodHandler implements ICommandHandler<ConfirmContactMethodCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, owner, contactId, method, code }: ConfirmContactMethodCommand): Promise<MethodVerifiedView> {
    assertMayVerify(actor, owner);
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const contact = await lockContact(manager, owner, contactId);
      const address = addressOf(contact, method);
      const pending = await lockMethod(manager, contactId, method);
      const now = this.clock.now();
      if (!pending?.code_hash || !pending.code_expires_at || pending.address !== address) return { refused: new CodeInvalidError(method, null) };
      if (pending.failed_attempts >= MAX_CODE_ATTEMPTS) return { refused: new TooManyAttemptsError(method, `${MAX_CODE_ATTEMPTS} wrong codes; ask for a new code`) };
      if (new Date(pending.code_expires_at) <= now) return { refused: new CodeExpiredError(method) };
      if (!sameHash(hashVerificationCode(this.config.jwt.secret, contactId, method, address, code), pending.code_hash)) {
        await manager.query(`UPDATE contact_method SET failed_attempts = failed_attempts + 1 WHERE contact_id = $1 AND method = $2`, [contactId, method]);
        return { refused: new CodeInvalidError(method, MAX_CODE_ATTEMPTS - pending.failed_attempts - 1) };
      }
      await manager.query(
        `UPDATE contact_method SET verified_at = $3, code_hash = NULL, code_expires_at = NULL, failed_attempts = 0 WHERE contact_id = $1 AND method = $2`,
        [contactId, method, now],
      );
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Contact', aggregateId: contactId, type: 'ContactMethodVerified', payload: { ...ownerPayload(contact), contactId, method, address } },
      ]);
      return { verified: { contactId, method, address, verified: true, verifiedAt: now.toISOString() } };
    });
    if ('refused' in outcome) throw outcome.refused;
    return outcome.verified;
  }
}
