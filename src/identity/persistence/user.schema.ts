import { EntitySchema } from 'typeorm';
import { User } from '../domain/user.js';

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  target: User,
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true },
    email: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash' },
    role: { type: 'text' },
    memberId: { type: 'uuid', name: 'member_id', nullable: true },
    directorateCode: { type: 'text', name: 'directorate_code', nullable: true },
    tokenVersion: { type: 'integer', name: 'token_version' },
    disabledAt: { type: 'timestamptz', name: 'disabled_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});
