import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { assertMayManage } from '../access.js';
import { Contact, type ContactDetails, type ContactView } from '../domain/contact.js';
import { ContactNotFoundError, DirectorateNotFoundError, EscalationOrderTakenError, MemberNotFoundError } from '../domain/registry.errors.js';
import { ContactSchema, MemberSchema } from '../persistence/registry.schemas.js';
import { forgetChangedMethods, withMethods } from '../../channels/persistence/contact-methods.js';

/** Whose contact it is: a member's (kept by the member or the ADMIN) or a directorate's (the ADMIN). */
export type ContactOwner = { memberId: string } | { directorateCode: string };

async function assertOwnerExists(manager: EntityManager, owner: ContactOwner): Promise<void> {
  if ('memberId' in owner) {
    if (!(await manager.getRepository(MemberSchema).existsBy({ id: owner.memberId }))) throw new MemberNotFoundError(owner.memberId);
  } else {
    const [row] = await manager.query(`SELECT 1 FROM directorate WHERE code = $1`, [owner.directorateCode]);
    if (!row) throw new DirectorateNotFoundError(owner.directorateCode);
  }
}

function assertMayKeep(actor: Actor, owner: ContactOwner): void {
  if ('memberId' in owner) assertMayManage(actor, owner.memberId);
  else if (actor.role !== 'ADMIN') throw new DirectorateNotFoundError(owner.directorateCode);
}

/** Saves the contact, turning a clash on the escalation order into a clear 409. */
async function saveContact(manager: EntityManager, contact: Contact, insert: boolean): Promise<void> {
  const taken = await manager.query(
    `SELECT 1 FROM contact WHERE escalation_order = $1 AND id <> $2
       AND (member_id = $3 OR directorate_code = $4)`,
    [contact.escalationOrder, contact.id, contact.memberId, contact.directorateCode],
  );
  if (taken.length > 0) throw new EscalationOrderTakenError(contact.escalationOrder);
  try {
    if (insert) await manager.getRepository(ContactSchema).insert(contact);
    else await manager.getRepository(ContactSchema).save(contact);
  } catch (error) {
    if (String((error as { constraint?: string }).constraint).endsWith('_escalation_key')) throw new EscalationOrderTakenError(contact.escalationOrder);
    throw error;
  }
}

function ownerPayload(contact: Contact) {
  return contact.memberId ? { memberId: contact.memberId } : { directorateCode: contact.directorateCode };
}

export class AddContactCommand extends Command<ContactView> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly details: ContactDetails,
  ) {
    super();
  }
}

@CommandHandler(AddContactCommand)
export class AddContactHandler implements ICommandHandler<AddContactCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, owner, details }: AddContactCommand): Promise<ContactView> {
    assertMayKeep(actor, owner);
    return this.db.transaction(async (manager) => {
      await assertOwnerExists(manager, owner);
      const contact = Contact.create({ ...details, ...owner, id: randomUUID(), now: this.clock.now() });
      await saveContact(manager, contact, true);
      const view = contact.toView();
      await this.audit.append(manager, actorRef(actor), [{ aggregateType: 'Contact', aggregateId: contact.id, type: 'ContactAdded', payload: { ...view } }]);
      return (await withMethods(manager, [view], this.clock.now()))[0];
    });
  }
}

export class UpdateContactCommand extends Command<ContactView> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly contactId: string,
    readonly changes: Partial<ContactDetails>,
  ) {
    super();
  }
}

@CommandHandler(UpdateContactCommand)
export class UpdateContactHandler implements ICommandHandler<UpdateContactCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, owner, contactId, changes }: UpdateContactCommand): Promise<ContactView> {
    assertMayKeep(actor, owner);
    return this.db.transaction(async (manager) => {
      const contact = await manager.getRepository(ContactSchema).findOne({ where: { id: contactId, ...owner }, lock: { mode: 'pessimistic_write' } });
      if (!contact) throw new ContactNotFoundError(contactId);
      const before = { email: contact.email, phone: contact.phone };
      contact.revise(changes, this.clock.now());
      await saveContact(manager, contact, false);
      // A new email or phone is not proven to reach the person: its method must be verified again.
      const unverified = await forgetChangedMethods(manager, contact.id, before, contact);
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Contact', aggregateId: contact.id, type: 'ContactUpdated', payload: { ...ownerPayload(contact), changes, ...(unverified.length ? { unverified } : {}) } },
      ]);
      return (await withMethods(manager, [contact.toView()], this.clock.now()))[0];
    });
  }
}

export class RemoveContactCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
    readonly contactId: string,
  ) {
    super();
  }
}

@CommandHandler(RemoveContactCommand)
export class RemoveContactHandler implements ICommandHandler<RemoveContactCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async execute({ actor, owner, contactId }: RemoveContactCommand): Promise<void> {
    assertMayKeep(actor, owner);
    await this.db.transaction(async (manager) => {
      const contacts = manager.getRepository(ContactSchema);
      const contact = await contacts.findOne({ where: { id: contactId, ...owner }, lock: { mode: 'pessimistic_write' } });
      if (!contact) throw new ContactNotFoundError(contactId);
      await contacts.delete({ id: contactId });
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Contact', aggregateId: contact.id, type: 'ContactRemoved', payload: { ...contact.toView() } },
      ]);
    });
  }
}
