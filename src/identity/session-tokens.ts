import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config.js';
import type { AccessTokenClaims } from '../common/auth/access.guard.js';
import type { Actor } from '../common/auth/role.js';
import type { User } from './domain/user.js';

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** How a sign-in proved the user's identity, written into what it issues. */
export interface SignInProof {
  /** RFC 8176 method references: `pwd`, `otp`, or what an OpenID provider reported. */
  amr: string[];
  /** When a second factor was checked (epoch seconds); absent when none was. */
  mfaAt?: number;
  /** The user must enrol a second factor before anything else. */
  enrolmentPending?: boolean;
  /** The OpenID Connect sign-in this session came from (its row keeps the provider's ID token, for signing out there). */
  signInId?: string;
}

/** What a sign-in gives: the token, and the caller it names. */
export interface SignedIn {
  token: AccessToken;
  actor: Actor;
}

/**
 * Issues what a sign-in gives: a signed token, for the bearer header (machines) or the browser
 * session cookie (the web console). Both carry the user's token version, so that one revocation
 * ends them all, and say how the user signed in.
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async issue(user: User, proof: SignInProof, kind: 'bearer' | 'session' = 'bearer'): Promise<SignedIn> {
    const ttlSeconds = kind === 'session' ? this.config.sessionTtlSeconds : this.config.jwt.ttlSeconds;
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      ...(user.memberId ? { memberId: user.memberId } : {}),
      ...(user.directorateCode ? { directorateCode: user.directorateCode } : {}),
      ver: user.tokenVersion,
      amr: proof.amr,
      ...(proof.mfaAt !== undefined ? { mfa_at: proof.mfaAt } : {}),
      ...(proof.enrolmentPending ? { enr: true as const } : {}),
      ...(proof.signInId ? { sid: proof.signInId } : {}),
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: ttlSeconds });
    return {
      token: { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds },
      actor: {
        userId: user.id,
        role: user.role,
        ...(user.memberId ? { memberId: user.memberId } : {}),
        ...(user.directorateCode ? { directorateCode: user.directorateCode } : {}),
        amr: proof.amr,
        ...(proof.mfaAt !== undefined ? { mfaAt: proof.mfaAt } : {}),
        ...(proof.enrolmentPending ? { enrolmentPending: true } : {}),
        ...(proof.signInId ? { signInId: proof.signInId } : {}),
        via: kind,
      },
    };
  }
}
