import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef } from '../../common/auth/role.js';
import type { SecondFactor } from '../domain/second-factor.js';
import { saveSecondFactor, useRecoveryCode } from '../persistence/second-factor.store.js';
import { recoveryCodeHash } from './recovery-codes.js';
import { SecretBox } from './secret-box.js';
import { TOTP_CODE, totpTimeStep } from './totp.js';

/** Why a second factor is checked, written into the audit event of a recovery code's use. */
export type SecondFactorPurpose = 'sign-in' | 'step-up';

/** Seconds since the epoch, as tokens carry `mfa_at`. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** How the caller signed in, a one-time password now added (RFC 8176 `otp`). */
export const withOtp = (amr: readonly string[] | undefined): string[] => [...new Set([...(amr ?? ['pwd']), 'otp'])];

/**
 * Checks a code given for a confirmed second factor, inside the caller's transaction, the factor
 * row locked: a TOTP code not used before (its time step later than the last accepted one), or an
 * unused recovery code. Its use is recorded in the same transaction, a recovery code's with an
 * audit event, so that a code is good once even when two requests bring it at the same moment.
 */
@Injectable()
export class SecondFactorCheck {
  constructor(
    private readonly box: SecretBox,
    private readonly audit: AuditLog,
  ) {}

  async accept(manager: EntityManager, factor: SecondFactor, code: string, now: Date, actor: ActorRef, purpose: SecondFactorPurpose): Promise<boolean> {
    factor.assertConfirmed();
    if (TOTP_CODE.test(code)) {
      const timeStep = await totpTimeStep(this.box.open(factor.encryptedSecret, factor.userId), code, now, factor.lastTimeStep);
      if (timeStep === null) return false;
      factor.accept(timeStep, now);
      await saveSecondFactor(manager, factor);
      return true;
    }
    const left = await useRecoveryCode(manager, factor.userId, recoveryCodeHash(code), now);
    if (left === null) return false;
    await this.audit.append(manager, actor, [
      { aggregateType: 'User', aggregateId: factor.userId, type: 'UserRecoveryCodeUsed', payload: { purpose, recoveryCodesLeft: left } },
    ]);
    return true;
  }
}
