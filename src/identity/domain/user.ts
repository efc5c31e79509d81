import type { Role } from '../../common/auth/role.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { UserAlreadyDisabledError, UserNotDisabledError } from './user.errors.js';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  memberId: string | null;
  directorateCode: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  memberId?: string | null;
  directorateCode?: string | null;
  now: Date;
}

/**
 * A person who signs in. A MEMBER user is bound to one member and a DIRECTORATE user to one
 * directorate; no other role carries such a binding (the database checks it too).
 */
export class User {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  memberId: string | null;
  directorateCode: string | null;
  /** Raised by every change that ends the user's sessions: a token carrying an older one is refused. */
  tokenVersion: number;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;

  static register(input: NewUser): User {
    const memberId = input.memberId ?? null;
    const directorateCode = input.directorateCode ?? null;
    assertBinding(input.role, memberId, directorateCode);
    const user = new User();
    Object.assign(user, {
      id: input.id,
      email: input.email.trim().toLowerCase(),
      passwordHash: input.passwordHash,
      role: input.role,
      memberId,
      directorateCode,
      tokenVersion: 0,
      disabledAt: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
    return user;
  }

  get disabled(): boolean {
    return this.disabledAt !== null;
  }

  /** Whether this user counts among the enabled ADMINs, of which one at least must remain. */
  get isEnabledAdmin(): boolean {
    return this.role === 'ADMIN' && !this.disabled;
  }

  disable(now: Date): void {
    if (this.disabled) throw new UserAlreadyDisabledError(this.id);
    this.disabledAt = now;
    this.endSessions(now);
  }

  enable(now: Date): void {
    if (!this.disabled) throw new UserNotDisabledError(this.id);
    this.disabledAt = null;
    this.updatedAt = now;
  }

  /** A new role and binding: the old tokens carry the old ones, so they end. */
  reassign(role: Role, memberId: string | null, directorateCode: string | null, now: Date): void {
    assertBinding(role, memberId, directorateCode);
    Object.assign(this, { role, memberId, directorateCode });
    this.endSessions(now);
  }

  changePassword(passwordHash: string, now: Date): void {
    this.passwordHash = passwordHash;
    this.endSessions(now);
  }

  endSessions(now: Date): void {
    this.tokenVersion += 1;
    this.updatedAt = now;
  }

  toView(): UserView {
    return {
      id: this.id,
      email: this.email,
      role: this.role,
      memberId: this.memberId,
      directorateCode: this.directorateCode,
      disabled: this.disabled,
      createdAt: this.createdAt.toISOString(),
    };
  }
}

/** A MEMBER user is bound to one member, a DIRECTORATE user to one directorate, no other role to either. */
function assertBinding(role: Role, memberId: string | null, directorateCode: string | null): void {
  if (role === 'MEMBER' && !memberId) throw InvalidInputError.field('memberId', 'is required for a MEMBER user');
  if (role !== 'MEMBER' && memberId) throw InvalidInputError.field('memberId', `must be empty for a ${role} user`);
  if (role === 'DIRECTORATE' && !directorateCode) throw InvalidInputError.field('directorateCode', 'is required for a DIRECTORATE user');
  if (role !== 'DIRECTORATE' && directorateCode) throw InvalidInputError.field('directorateCode', `must be empty for a ${role} user`);
}
