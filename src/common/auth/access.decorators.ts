import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from './role.js';

export const IS_PUBLIC = 'renfort:isPublic';
export const ALLOWED_ROLES = 'renfort:allowedRoles';

/** Reachable without a token. Every other route needs one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on a route. A private route without this rule is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Any signed-in user, whatever the role. */
export const AnyRole = () =>
  SetMetadata(ALLOWED_ROLES, ['ADMIN', 'MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] satisfies Role[]);

/** The authenticated caller, set by the AccessGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ actor?: Actor }>();
  return request.actor!;
});
