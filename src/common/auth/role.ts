export const ROLES = ['ADMIN', 'MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as carried by its token. */
export interface Actor {
  userId: string;
  role: Role;
  memberId?: string;
  directorateCode?: string;
  /** How the user proved who it is (RFC 8176 values: `pwd`, `otp`, and what an OpenID provider reports). */
  amr?: readonly string[];
  /** When a second factor was last checked for this token or session (epoch seconds), if ever. */
  mfaAt?: number;
  /** Signed in, but must enrol a second factor before anything else (MINISTER and ADMIN in production). */
  enrolmentPending?: boolean;
  /** The OpenID Connect sign-in this caller's session came from, if it came from one. */
  signInId?: string;
  /** Whether the caller came with a bearer token (machines) or the browser session cookie. */
  via?: 'bearer' | 'session';
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
