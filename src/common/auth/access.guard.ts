import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import { ALLOWED_DURING_ENROLMENT, ALLOWED_ROLES, IS_PUBLIC } from './access.decorators.js';
import { assertSameOrigin, type SessionRequest, sessionTokenOf } from './browser-session.js';
import { type Actor, type Role, ROLES } from './role.js';
import { TokenRevocation } from './token-revocation.js';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  memberId?: string;
  directorateCode?: string;
  /** The user's token version when the token was issued; a later change of it ends the token. */
  ver: number;
  /** How the user signed in (RFC 8176). Tokens issued before this claim existed carry none: `pwd`. */
  amr?: string[];
  /** When a second factor was last checked (epoch seconds). */
  mfa_at?: number;
  /** Set while a second factor must be enrolled before anything else. */
  enr?: true;
  /** The OpenID Connect sign-in the session came from. */
  sid?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Authentication and authorization of every route, in that order: a route is private unless
 * marked @Public, and a private route must state its roles or nobody may call it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly revocation: TokenRevocation,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<SessionRequest & { actor?: Actor }>();
    // A command's caller was already verified before its body was read (app.factory.ts): not twice.
    const actor = request.actor ?? (await actorFromRequest(this.jwt, this.revocation, request));
    request.actor = actor;

    if (actor.enrolmentPending && !this.reflector.getAllAndOverride<boolean>(ALLOWED_DURING_ENROLMENT, targets)) {
      throw new ForbiddenError('AUTH.MFA_ENROLMENT_REQUIRED', 'Enrol a second factor (POST /users/me/mfa/totp) before anything else');
    }

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (!allowed) {
      this.logger.error(`AccessGuard: ${context.getClass().name}.${context.getHandler().name} has no role rule; refusing`);
      throw new ForbiddenError('AUTH.NO_ROLE_RULE', 'This endpoint is not open to any role');
    }
    if (!allowed.includes(actor.role)) {
      throw new ForbiddenError('AUTH.ROLE_NOT_ALLOWED', `The ${actor.role} role may not perform this action`);
    }
    return true;
  }
}

/**
 * The caller of a request: an `Authorization: Bearer` header (machines) or, without one, the
 * browser session cookie, whose state-changing requests must come from the service's own origin.
 * The one place a caller is verified (guard, early body check, queue dashboard): the revocation
 * and cross-site checks sit here so that no path skips them.
 */
export async function actorFromRequest(jwt: JwtService, revocation: TokenRevocation, request: SessionRequest): Promise<Actor> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return actorFromAuthorization(jwt, revocation, typeof authorization === 'string' ? authorization : '');
  const session = sessionTokenOf(request);
  if (session === undefined) throw new UnauthenticatedError('AUTH.TOKEN_MISSING', 'A bearer token or a session is required');
  assertSameOrigin(request);
  return { ...(await actorFromToken(jwt, revocation, session, 'session')), via: 'session' };
}

/** The caller named by an `Authorization: Bearer` header, or a 401 saying what is wrong with it. */
export async function actorFromAuthorization(jwt: JwtService, revocation: TokenRevocation, header: string | undefined): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new UnauthenticatedError('AUTH.TOKEN_MISSING', 'A bearer token is required');
  return { ...(await actorFromToken(jwt, revocation, match[1], 'bearer token')), via: 'bearer' };
}

async function actorFromToken(jwt: JwtService, revocation: TokenRevocation, token: string, what: 'bearer token' | 'session'): Promise<Actor> {
  let claims: AccessTokenClaims;
  try {
    claims = await jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
  } catch (error) {
    const expired = (error as Error).name === 'TokenExpiredError';
    throw new UnauthenticatedError(
      expired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.TOKEN_INVALID',
      expired ? `The ${what} has expired; sign in again` : `The ${what} is invalid`,
    );
  }
  if (
    typeof claims.sub !== 'string' ||
    !UUID.test(claims.sub) ||
    !ROLES.includes(claims.role) ||
    !Number.isInteger(claims.ver) ||
    (claims.amr !== undefined && (!Array.isArray(claims.amr) || !claims.amr.every((method) => typeof method === 'string'))) ||
    (claims.mfa_at !== undefined && !Number.isInteger(claims.mfa_at)) ||
    (claims.sid !== undefined && (typeof claims.sid !== 'string' || !UUID.test(claims.sid)))
  ) {
    throw new UnauthenticatedError('AUTH.TOKEN_INVALID', `The ${what} is invalid`);
  }
  await revocation.assertCurrent(claims.sub, claims.ver);
  return {
    userId: claims.sub,
    role: claims.role,
    ...(claims.memberId ? { memberId: claims.memberId } : {}),
    ...(claims.directorateCode ? { directorateCode: claims.directorateCode } : {}),
    amr: claims.amr ?? ['pwd'],
    ...(claims.mfa_at !== undefined ? { mfaAt: claims.mfa_at } : {}),
    ...(claims.enr ? { enrolmentPending: true } : {}),
    ...(claims.sid ? { signInId: claims.sid } : {}),
  };
}
