import { createHash, randomInt } from 'node:crypto';
import { RECOVERY_CODE_COUNT } from '../domain/second-factor.js';

// No 0/o, 1/l/i: read from paper and typed again.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * Recovery codes: ten random codes of ten characters (about 49 bits each), shown once as
 * `xxxxx-xxxxx`. Random enough that a plain SHA-256 keeps them safe at rest (no password hash
 * needed); sign-in throttling bounds guessing.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const characters = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
}

/** The stored form of a recovery code; case, spaces and dashes as typed do not matter. */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
}
