import { randomInt } from 'node:crypto';

/** A random SIREN with a valid Luhn check digit. */
export function validSiren(): string {
  const body = Array.from({ length: 8 }, () => randomInt(10)).join('');
  for (let check = 0; check < 10; check += 1) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < 9; i += 1) {
      let digit = Number(candidate[8 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}
