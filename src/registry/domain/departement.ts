/** INSEE codes of the départements: 01-95 with 2A and 2B instead of 20, and 971-976 overseas. */
export const DEPARTEMENT_CODES: ReadonlySet<string> = new Set([
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((code) => code !== '20'),
  '2A',
  '2B',
  '971',
  '972',
  '973',
  '974',
  '975',
  '976',
]);

export function isDepartementCode(code: unknown): code is string {
  return typeof code === 'string' && DEPARTEMENT_CODES.has(code);
}
