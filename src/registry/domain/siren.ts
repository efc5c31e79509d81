/**
 * A SIREN is the 9-digit identifier of a French company; its last digit is a Luhn check
 * digit (La Poste's SIREN 356000000 is the one documented exception).
 */
export function sirenProblem(siren: unknown): string | null {
  if (typeof siren !== 'string' || !/^[0-9]{9}$/.test(siren)) return 'must be exactly 9 digits';
  if (siren === '356000000') return null;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    let digit = Number(siren[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0 ? null : 'fails the Luhn check digit';
}
