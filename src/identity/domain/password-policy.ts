import { dictionary } from '@zxcvbn-ts/language-common';
import { InvalidInputError } from '../../common/errors/domain-error.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// The ~49,000 most common passwords of public leaks (English and French among them: azerty,
// motdepasse, soleil), kept up to date by the zxcvbn-ts project rather than by us.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

// Below three characters a local part ("a@...") would refuse half of all passwords for no gain.
const SHORTEST_LOCAL_PART_CHECKED = 3;

/** A password the policy refuses, saying why (ASVS 5.0 chapter 6). */
export class WeakPasswordError extends InvalidInputError {
  constructor(reason: string) {
    super('PASSWORD.TOO_WEAK', `The password is too weak: it ${reason}`, [{ field: 'password', problems: [reason] }]);
  }
}

/**
 * Why a password is refused, or null. Common passwords are also found under the digits and signs
 * people add around them to reach the length ("Motdepasse2026!"), which a list alone would miss.
 */
export function passwordWeakness(password: string, email: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `has fewer than ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `has more than ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (COMMON_PASSWORDS.has(lower) || (core.length > 0 && COMMON_PASSWORDS.has(core))) return 'is among the most common passwords';
  const localPart = email.trim().toLowerCase().split('@')[0] ?? '';
  if (localPart.length >= SHORTEST_LOCAL_PART_CHECKED && lower.includes(localPart)) return 'contains the email address';
  return null;
}

export function assertStrongPassword(password: string, email: string): void {
  const weakness = passwordWeakness(password, email);
  if (weakness) throw new WeakPasswordError(weakness);
}
