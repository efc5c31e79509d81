import type { Actor } from '../../common/auth/role.js';
import { RecentSecondFactorRequiredError, SecondFactorAlreadyEnrolledError, SecondFactorNotEnrolledError } from './second-factor.errors.js';

/** How many recovery codes an enrolment gives, each good once. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * A user's TOTP second factor (RFC 6238). It starts pending, with a secret shown once to the user;
 * the first right code confirms it. From then on a code is accepted once only: the time step of the
 * last accepted code is kept, and a code of that step or an earlier one is refused (replay).
 */
export class SecondFactor {
  userId: string;
  /** The TOTP secret, encrypted by the service (never stored in clear). */
  encryptedSecret: string;
  confirmedAt: Date | null;
  lastTimeStep: number | null;
  createdAt: Date;
  updatedAt: Date;

  static begin(userId: string, encryptedSecret: string, now: Date): SecondFactor {
    const factor = new SecondFactor();
    Object.assign(factor, { userId, encryptedSecret, confirmedAt: null, lastTimeStep: null, createdAt: now, updatedAt: now });
    return factor;
  }

  get confirmed(): boolean {
    return this.confirmedAt !== null;
  }

  /** A new pending secret replaces an earlier pending one; a confirmed factor is only reset by an ADMIN. */
  restart(encryptedSecret: string, now: Date): void {
    if (this.confirmed) throw new SecondFactorAlreadyEnrolledError();
    Object.assign(this, { encryptedSecret, lastTimeStep: null, createdAt: now, updatedAt: now });
  }

  confirm(timeStep: number, now: Date): void {
    if (this.confirmed) throw new SecondFactorAlreadyEnrolledError();
    this.confirmedAt = now;
    this.accept(timeStep, now);
  }

  /** Whether a code of this time step may still be accepted. */
  isFresh(timeStep: number): boolean {
    return this.lastTimeStep === null || timeStep > this.lastTimeStep;
  }

  /** Records the time step of an accepted code, so that the same code is refused from now on. */
  accept(timeStep: number, now: Date): void {
    if (!this.isFresh(timeStep)) throw new Error('SecondFactor.accept: a code of this time step was already used');
    this.lastTimeStep = timeStep;
    this.updatedAt = now;
  }

  assertConfirmed(): void {
    if (!this.confirmed) throw new SecondFactorNotEnrolledError('The second factor is not confirmed yet; confirm it (POST /users/me/mfa/totp/confirm)');
  }
}

/**
 * The step-up rule of decisions that need a recent second factor (authorizing an activation): the
 * caller's second factor was checked within the window, whoever checked it (this service's TOTP or
 * the OpenID provider that signed the user in).
 */
export function assertRecentSecondFactor(actor: Actor, now: Date, windowSeconds: number): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (actor.mfaAt === undefined || nowSeconds - actor.mfaAt > windowSeconds) throw new RecentSecondFactorRequiredError(windowSeconds);
}
