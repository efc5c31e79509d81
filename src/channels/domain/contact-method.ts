import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** How a contact is reached: its email (SMTP) or its phone (SMS over SMPP). */
export const CONTACT_METHODS = ['email', 'sms'] as const;
export type ContactMethodKind = (typeof CONTACT_METHODS)[number];

/** The settings that turn a channel on, named in the error that says it is off. */
export const SETTINGS_OF: Record<ContactMethodKind, string> = {
  email: 'SMTP_URL, SMTP_FROM',
  sms: 'SMPP_URL, SMPP_SYSTEM_ID, SMPP_PASSWORD, SMPP_SOURCE_ADDRESS',
};

/** A code proves the method reaches the person for this long. */
export const CODE_TTL_MS = 15 * 60_000;
/** Wrong codes tolerated per code sent; then a new code must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;
/** A new code no sooner than this after the last one: nobody floods a phone through the API. */
export const CODE_RESEND_INTERVAL_MS = 60_000;

export function newVerificationCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/**
 * The code as kept at rest: keyed (HMAC with a server secret) and bound to the contact, the
 * method and the address it went to, so that the table alone does not give the 6 digits away by
 * trying a million candidates, and a code sent to an old address proves nothing about a new one.
 */
export function hashVerificationCode(key: string, contactId: string, method: ContactMethodKind, address: string, code: string): string {
  return createHmac('sha256', key).update(`renfort-contact-code\n${contactId}\n${method}\n${address}\n${code}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The address a method goes to, as the contact holds it now. */
export function addressOf(contact: { email: string; phone: string }, method: ContactMethodKind): string {
  return method === 'email' ? contact.email : contact.phone;
}
