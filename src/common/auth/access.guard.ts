import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import { ALLOWED_ROLES, IS_PUBLIC } from './access.decorators.js';
import { type Actor, type Role, ROLES } from './role.js';
import { TokenRevocation } from './token-revocation.js';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  memberId?: string;
  directorateCode?: string;
  /** The user's token version when the token was issued; a later change of it ends the token. */
  ver: number;
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

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    // A command's caller was already verified before its body was read (app.factory.ts): not twice.
    const actor = request.actor ?? (await actorFromAuthorization(this.jwt, this.revocation, request.headers.authorization));
    request.actor = actor;

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
 * The caller named by an `Authorization: Bearer` header, or a 401 saying what is wrong with it.
 * The one place a token is verified (guard, early body check, queue dashboard): the revocation
 * check sits here so that no path skips it.
 */
export async function actorFromAuthorization(jwt: JwtService, revocation: TokenRevocation, header: string | undefined): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new UnauthenticatedError('AUTH.TOKEN_MISSING', 'A bearer token is required');
  let claims: AccessTokenClaims;
  try {
    claims = await jwt.verifyAsync<AccessTokenClaims>(match[1], { algorithms: ['HS256'] });
  } catch (error) {
    const expired = (error as Error).name === 'TokenExpiredError';
    throw new UnauthenticatedError(
      expired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.TOKEN_INVALID',
      expired ? 'The bearer token has expired; sign in again' : 'The bearer token is invalid',
    );
  }
  if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !ROLES.includes(claims.role) || !Number.isInteger(claims.ver)) {
    throw new UnauthenticatedError('AUTH.TOKEN_INVALID', 'The bearer token is invalid');
  }
  await revocation.assertCurrent(claims.sub, claims.ver);
  return {
    userId: claims.sub,
    role: claims.role,
    ...(claims.memberId ? { memberId: claims.memberId } : {}),
    ...(claims.directorateCode ? { directorateCode: claims.directorateCode } : {}),
  };
}
