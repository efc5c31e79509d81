import type { Role } from '../../common/auth/role.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  memberId: string | null;
  directorateCode: string | null;
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
  createdAt: Date;
  updatedAt: Date;

  static register(input: NewUser): User {
    const memberId = input.memberId ?? null;
    const directorateCode = input.directorateCode ?? null;
    if (input.role === 'MEMBER' && !memberId) throw InvalidInputError.field('memberId', 'is required for a MEMBER user');
    if (input.role !== 'MEMBER' && memberId) throw InvalidInputError.field('memberId', `must be empty for a ${input.role} user`);
    if (input.role === 'DIRECTORATE' && !directorateCode) {
      throw InvalidInputError.field('directorateCode', 'is required for a DIRECTORATE user');
    }
    if (input.role !== 'DIRECTORATE' && directorateCode) {
      throw InvalidInputError.field('directorateCode', `must be empty for a ${input.role} user`);
    }
    const user = new User();
    Object.assign(user, {
      id: input.id,
      email: input.email.trim().toLowerCase(),
      passwordHash: input.passwordHash,
      role: input.role,
      memberId,
      directorateCode,
      createdAt: input.now,
      updatedAt: input.now,
    });
    return user;
  }

  toView(): UserView {
    return {
      id: this.id,
      email: this.email,
      role: this.role,
      memberId: this.memberId,
      directorateCode: this.directorateCode,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
