import type { Actor } from '../common/auth/role.js';
import { MemberNotFoundError } from './domain/registry.errors.js';

/**
 * A MEMBER user reaches only its own member's data; every other role may read it all. What a
 * caller may not see does not exist for it: 404, never 403, so ids cannot be probed.
 */
export function assertMayRead(actor: Actor, memberId: string): void {
  if (actor.role === 'MEMBER' && actor.memberId !== memberId) throw new MemberNotFoundError(memberId);
}

/** Changes to a member's own data: its users, or the ADMIN. */
export function assertMayManage(actor: Actor, memberId: string): void {
  if (actor.role === 'ADMIN') return;
  if (actor.role === 'MEMBER' && actor.memberId === memberId) return;
  throw new MemberNotFoundError(memberId);
}

/** The member whose data a list may show: a MEMBER user's own, whatever it asked for. */
export function memberScope(actor: Actor, requested?: string): string | undefined {
  return actor.role === 'MEMBER' ? actor.memberId : requested;
}
