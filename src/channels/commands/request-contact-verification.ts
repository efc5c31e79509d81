import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import type { ContactOwner } from '../../registry/commands/contact-commands.js';
import { ChannelOutbox } from '../delivery/channel-outbox.js';
import { ChannelSenders } from '../delivery/channel-senders.js';
import { ChannelNotConfiguredError, TooManyAttemptsError } from '../domain/channel.errors.js';
import {
  addressOf, CODE_RESEND_INTERVAL_MS, CODE_TTL_MS, type ContactMethodKind, hashVerificationCode, newVerificationCode,
} from '../domain/contact-method.js';
import { verificationMessage } from '../domain/messages.js';
import { assertMayVerify, lockContact, lockMethod, ownerPayload } from './contact-of.js';

export interface VerificationRequestedView {
  contactId: string;
  method: ContactMethodKind;
  address: string;
  codeExpiresAt: string;
  delivery: { id: string; status: string; queuedAt: string };
}

export class RequestContactVerificationCommand extends Command<VerificationRequestedView> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly contactId: string,
    readonly method: ContactMethodKind,
  ) {
    super();
  }
}

/**
 * Sends a fresh 6-digit code to the contact's current email or phone. Only its keyed hash is
 * kept on the method; the code itself rides in the queued message and is erased from it once
 * sent. A new code replaces the last one and its attempts; one a minute at most.
 */
@CommandHandler(RequestContactVerificationCommand)
export class RequestContactVerificationHandler implements ICommandHandler<RequestContactVerificationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly outbox: ChannelOutbox,
    private readonly senders: ChannelSenders,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, owner, contactId, method }: RequestContactVerificationCommand): Promise<VerificationRequestedView> {
    assertMayVerify(actor, owner);
    return this.db.transaction(async (manager) => {
      const contact = await lockContact(manager, owner, contactId);
      if (!this.senders.configured(method)) throw new ChannelNotConfiguredError(method);
      const now = this.clock.now();
      const address = addressOf(contact, method);
      const previous = await lockMethod(manager, contactId, method);
      if (previous?.code_sent_at && previous.address === address && now.getTime() - new Date(previous.code_sent_at).getTime() < CODE_RESEND_INTERVAL_MS) {
        throw new TooManyAttemptsError(method, 'a code was sent less than a minute ago; wait a minute before asking for another');
      }
      const code = newVerificationCode();
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
      await manager.query(
        `INSERT INTO contact_method (contact_id, method, address, verified_at, code_hash, code_sent_at, code_expires_at, failed_attempts)
         VALUES ($1, $2, $3, NULL, $4, $5, $6, 0)
         ON CONFLICT (contact_id, method) DO UPDATE SET
           verified_at = CASE WHEN contact_method.address = excluded.address THEN contact_method.verified_at END,
           address = excluded.address, code_hash = excluded.code_hash, code_sent_at = excluded.code_sent_at,
           code_expires_at = excluded.code_expires_at, failed_attempts = 0`,
        [contactId, method, address, hashVerificationCode(this.config.jwt.secret, contactId, method, address, code), now, expiresAt],
      );
      const text = verificationMessage(method, contact.name);
      const delivery = await this.outbox.queue(
        manager,
        actorRef(actor),
        { channel: method, recipient: address, purpose: 'verification', contactId, subject: text.subject, body: text.body, secret: code },
        now,
      );
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'Contact',
          aggregateId: contactId,
          type: 'ContactVerificationRequested',
          payload: { ...ownerPayload(contact), contactId, method, address, deliveryId: delivery.id, codeExpiresAt: expiresAt.toISOString() },
        },
      ]);
      return { contactId, method, address, codeExpiresAt: expiresAt.toISOString(), delivery };
    });
  }
}
