import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import type { ContactOwner } from '../../registry/commands/contact-commands.js';
import { ChannelOutbox } from '../delivery/channel-outbox.js';
import { ChannelSenders } from '../delivery/channel-senders.js';
import { ChannelNotConfiguredError, MethodNotVerifiedError } from '../domain/channel.errors.js';
import { addressOf, type ContactMethodKind } from '../domain/contact-method.js';
import { testAlertMessage } from '../domain/messages.js';
import { assertMayVerify, lockContact, lockMethod, ownerPayload } from './contact-of.js';

export interface TestAlertView {
  contactId: string;
  method: ContactMethodKind;
  address: string;
  delivery: { id: string; status: string; queuedAt: string };
}

export class SendTestAlertCommand extends Command<TestAlertView> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly contactId: string,
    readonly method: ContactMethodKind,
  ) {
    super();
  }
}

/** A test alert, as a real one would go: only through a method verified for the contact's current address. */
@CommandHandler(SendTestAlertCommand)
export class SendTestAlertHandler implements ICommandHandler<SendTestAlertCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly outbox: ChannelOutbox,
    private readonly senders: ChannelSenders,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, owner, contactId, method }: SendTestAlertCommand): Promise<TestAlertView> {
    assertMayVerify(actor, owner);
    return this.db.transaction(async (manager) => {
      const contact = await lockContact(manager, owner, contactId);
      if (!this.senders.configured(method)) throw new ChannelNotConfiguredError(method);
      const address = addressOf(contact, method);
      const state = await lockMethod(manager, contactId, method);
      if (!state?.verified_at || state.address !== address) throw new MethodNotVerifiedError(method);
      const now = this.clock.now();
      const text = testAlertMessage(method, contact.name);
      const delivery = await this.outbox.queue(
        manager,
        actorRef(actor),
        { channel: method, recipient: address, purpose: 'test', contactId, subject: text.subject, body: text.body },
        now,
      );
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Contact', aggregateId: contactId, type: 'ContactTestAlertSent', payload: { ...ownerPayload(contact), contactId, method, address, deliveryId: delivery.id } },
      ]);
      return { contactId, method, address, delivery };
    });
  }
}
