export const ROLES = ['ADMIN', 'MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as carried by its token. */
export interface Actor {
  userId: string;
  role: Role;
  memberId?: string;
  directorateCode?: string;
}

/** Who an audit event is attributed to: a user, or the system itself (jobs, start-up). */
export interface ActorRef {
  id: string | null;
  role: Role | 'SYSTEM';
}

export const SYSTEM_ACTOR: ActorRef = { id: null, role: 'SYSTEM' };

export function actorRef(actor: Actor): ActorRef {
  return { id: actor.userId, role: actor.role };
}
