import type { EntityManager } from 'typeorm';
import type { UserView } from '../domain/user.js';

/** A user as the ADMIN reviews accounts: with whether a second factor is enrolled (confirmed by a first code). */
export interface UserAccountView extends UserView {
  mfaEnrolled: boolean;
}

/** Adds each user's second-factor status, in one read whatever their number. */
export async function withSecondFactorStatus(manager: EntityManager, users: UserView[]): Promise<UserAccountView[]> {
  if (users.length === 0) return [];
  const rows: { user_id: string }[] = await manager.query(
    `SELECT user_id FROM user_second_factor WHERE user_id = ANY($1::uuid[]) AND confirmed_at IS NOT NULL`,
    [users.map((user) => user.id)],
  );
  const enrolled = new Set(rows.map((row) => row.user_id));
  return users.map((user) => ({ ...user, mfaEnrolled: enrolled.has(user.id) }));
}
