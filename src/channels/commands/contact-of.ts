import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import type { ContactOwner } from '../../registry/commands/contact-commands.js';
import { assertMayManage } from '../../registry/access.js';
import { ContactNotFoundError, DirectorateNotFoundError, MemberNotFoundError } from '../../registry/domain/registry.errors.js';
import type { ContactMethodKind } from '../domain/contact-method.js';

export interface ContactRow {
  id: string;
  name: string;
  email: string;
  phone: string;
  member_id: string | null;
  directorate_code: string | null;
}

export interface ContactMethodRow {
  address: string;
  verified_at: Date | null;
  code_hash: string | null;
  code_sent_at: Date | null;
  code_expires_at: Date | null;
  failed_attempts: number;
}

/**
 * Who may prove and test a contact's methods: whoever keeps the contact (a member's: its own
 * users or the ADMIN; a directorate's: the ADMIN). For anyone else the contact does not exist.
 */
export function assertMayVerify(actor: Actor, owner: ContactOwner): void {
  if ('memberId' in owner) assertMayManage(actor, owner.memberId);
  else if (actor.role !== 'ADMIN') throw new DirectorateNotFoundError(owner.directorateCode);
}

/** The contact, locked for the change, found only under its owner (404 otherwise). */
export async function lockContact(manager: EntityManager, owner: ContactOwner, contactId: string): Promise<ContactRow> {
  const byMember = 'memberId' in owner;
  const [contact] = await manager.query(
    `SELECT id, name, email, phone, member_id, directorate_code FROM contact WHERE id = $1 AND ${byMember ? 'member_id' : 'directorate_code'} = $2 FOR UPDATE`,
    [contactId, byMember ? owner.memberId : owner.directorateCode],
  );
  if (contact) return contact;
  if (byMember) {
    const [member] = await manager.query(`SELECT 1 FROM member WHERE id = $1`, [owner.memberId]);
    if (!member) throw new MemberNotFoundError(owner.memberId);
  } else {
    const [directorate] = await manager.query(`SELECT 1 FROM directorate WHERE code = $1`, [owner.directorateCode]);
    if (!directorate) throw new DirectorateNotFoundError(owner.directorateCode);
  }
  throw new ContactNotFoundError(contactId);
}

export async function lockMethod(manager: EntityManager, contactId: string, method: ContactMethodKind): Promise<ContactMethodRow | undefined> {
  const [row] = await manager.query(
    `SELECT address, verified_at, code_hash, code_sent_at, code_expires_at, failed_attempts FROM contact_method WHERE contact_id = $1 AND method = $2 FOR UPDATE`,
    [contactId, method],
  );
  return row;
}

export function ownerPayload(contact: ContactRow): Record<string, string> {
  return contact.member_id ? { memberId: contact.member_id } : { directorateCode: contact.directorate_code! };
}
