import { generateSecret, generateURI, verify } from 'otplib';

/** The issuer authenticator apps show next to the account. */
export const TOTP_ISSUER = 'Renfort';

/** A TOTP code: six digits (RFC 6238 defaults: SHA-1, 30-second steps). Anything else given as `otp` is a recovery code. */
export const TOTP_CODE = /^\d{6}$/;

/** One step either side of now: a phone's clock a little off, or a code typed as it changed. */
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): { secret: string; otpauthUri: (label: string) => string } {
  const secret = generateSecret();
  return { secret, otpauthUri: (label) => generateURI({ issuer: TOTP_ISSUER, label, secret }) };
}

/**
 * The time step of a right code, or null. Codes of `afterTimeStep` and earlier are refused: each
 * code is good once.
 */
export async function totpTimeStep(secret: string, code: string, now: Date, afterTimeStep: number | null): Promise<number | null> {
  if (!TOTP_CODE.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep !== null ? { afterTimeStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
