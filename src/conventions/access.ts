import type { Actor } from '../common/auth/role.js';
import type { Convention } from './domain/convention.js';
import { ConventionNotFoundError } from './domain/convention.errors.js';

/**
 * A member sees only its conventions, a directorate only those it is party to; operators,
 * the minister, auditors and the ADMIN read all. What a caller may not see answers 404.
 */
export function assertMaySee(actor: Actor, convention: Convention): void {
  if (actor.role === 'MEMBER' || actor.role === 'DIRECTORATE') {
    if (!convention.isParty(actor)) throw new ConventionNotFoundError(convention.id);
  }
}

export function visibilityScope(actor: Actor): { memberId?: string; directorateCode?: string } {
  if (actor.role === 'MEMBER') return { memberId: actor.memberId };
  if (actor.role === 'DIRECTORATE') return { directorateCode: actor.directorateCode };
  return {};
}
