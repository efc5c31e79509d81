import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { Actor, Role } from './role.js';

export const IS_PUBLIC = 'renfort:isPublic';
export const ALLOWED_ROLES = 'renfort:allowedRoles';
export const ALLOWED_DURING_ENROLMENT = 'renfort:allowedDuringEnrolment';

/** Fastify route config flag of the routes anyone may call: they take only small bodies. */
export const PUBLIC_ROUTE_CONFIG = 'renfortPublic';

/**
 * Reachable without a token (on a route handler). Every other route needs one. The route is also
 * marked in its Fastify config, so that what the router matched carries it before any body is read.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true }));

/** Whether the Fastify route config of a matched or registered route marks it @Public. */
export function isPublicRoute(config: object | undefined): boolean {
  return (config as Record<string, unknown> | undefined)?.[PUBLIC_ROUTE_CONFIG] === true;
}

/** The roles allowed on a route. A private route without this rule is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Any signed-in user, whatever the role. */
export const AnyRole = () =>
  SetMetadata(ALLOWED_ROLES, ['ADMIN', 'MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] satisfies Role[]);

/**
 * Open to a user who must still enrol a second factor (its enrolment, its session, signing out):
 * every other route refuses such a caller with 403 `AUTH.MFA_ENROLMENT_REQUIRED`.
 */
export const AllowedDuringEnrolment = () => SetMetadata(ALLOWED_DURING_ENROLMENT, true);

/** The authenticated caller, set by the AccessGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ actor?: Actor }>();
  return request.actor!;
});
