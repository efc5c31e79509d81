export const CONTACT_ROLES = ['NATIONAL_CORRESPONDENT', 'REGIONAL_CORRESPONDENT', 'DUTY_OFFICER'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface ContactDetails {
  name: string;
  role: ContactRole;
  phone: string;
  email: string;
  escalationOrder: number;
  available24x7: boolean;
}

export interface ContactView extends ContactDetails {
  id: string;
  memberId: string | null;
  directorateCode: string | null;
  createdAt: string;
  updatedAt: string;
  /** Its email and phone as ways to reach it (src/channels): added by the answers, not kept here. */
  methods?: unknown;
}

/** A named point of contact of a member or of a directorate, called in escalation order. */
export class Contact {
  id: string;
  memberId: string | null;
  directorateCode: string | null;
  name: string;
  role: ContactRole;
  phone: string;
  email: string;
  escalationOrder: number;
  available24x7: boolean;
  createdAt: Date;
  updatedAt: Date;

  static create(input: ContactDetails & { id: string; memberId?: string; directorateCode?: string; now: Date }): Contact {
    const contact = new Contact();
    Object.assign(contact, {
      id: input.id,
      memberId: input.memberId ?? null,
      directorateCode: input.directorateCode ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    });
    contact.revise(input, input.now);
    return contact;
  }

  revise(changes: Partial<ContactDetails>, now: Date): void {
    if (changes.name !== undefined) this.name = changes.name.trim();
    if (changes.role !== undefined) this.role = changes.role;
    if (changes.phone !== undefined) this.phone = changes.phone;
    if (changes.email !== undefined) this.email = changes.email.trim().toLowerCase();
    if (changes.escalationOrder !== undefined) this.escalationOrder = changes.escalationOrder;
    if (changes.available24x7 !== undefined) this.available24x7 = changes.available24x7;
    this.updatedAt = now;
  }

  toView(): ContactView {
    return {
      id: this.id,
      memberId: this.memberId,
      directorateCode: this.directorateCode,
      name: this.name,
      role: this.role,
      phone: this.phone,
      email: this.email,
      escalationOrder: this.escalationOrder,
      available24x7: this.available24x7,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}
