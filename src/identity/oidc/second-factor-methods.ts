/**
 * Method references (RFC 8176, and ProConnect's `totp`) that say a provider checked something
 * besides a password: a possession or an inherence factor, or several factors (`mfa`).
 */
export const SECOND_FACTOR_METHODS: ReadonlySet<string> = new Set([
  'mfa', 'otp', 'totp', 'hwk', 'swk', 'sc', 'pop', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm',
]);

/** Whether the methods a provider reported include a second factor. */
export function reportsSecondFactor(amr: readonly string[]): boolean {
  return amr.some((method) => SECOND_FACTOR_METHODS.has(method));
}

/** The session's method references: federated (`fed`), then what the provider reported, each once. */
export function sessionMethods(providerAmr: readonly string[]): string[] {
  return [...new Set(['fed', ...providerAmr])];
}
