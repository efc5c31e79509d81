import type { EntityManager } from 'typeorm';
import { SecondFactor } from '../domain/second-factor.js';

interface SecondFactorRow {
  user_id: string;
  encrypted_secret: string;
  confirmed_at: Date | null;
  last_time_step: number | null;
  created_at: Date;
  updated_at: Date;
}

/** The user's second factor, locked for the transaction when `lock` (codes are accepted once: two sign-ins take turns). */
export async function loadSecondFactor(manager: EntityManager, userId: string, lock = false): Promise<SecondFactor | null> {
  const [row]: SecondFactorRow[] = await manager.query(
    `SELECT user_id, encrypted_secret, confirmed_at, last_time_step, created_at, updated_at FROM user_second_factor WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  if (!row) return null;
  const factor = new SecondFactor();
  Object.assign(factor, {
    userId: row.user_id,
    encryptedSecret: row.encrypted_secret,
    confirmedAt: row.confirmed_at,
    lastTimeStep: row.last_time_step,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  return factor;
}

export async function saveSecondFactor(manager: EntityManager, factor: SecondFactor): Promise<void> {
  await manager.query(
    `INSERT INTO user_second_factor (user_id, encrypted_secret, confirmed_at, last_time_step, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id) DO UPDATE SET encrypted_secret = EXCLUDED.encrypted_secret, confirmed_at = EXCLUDED.confirmed_at,
       last_time_step = EXCLUDED.last_time_step, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
    [factor.userId, factor.encryptedSecret, factor.confirmedAt, factor.lastTimeStep, factor.createdAt, factor.updatedAt],
  );
}

/** Removes the second factor and the recovery codes; answers whether there was a factor. */
export async function deleteSecondFactor(manager: EntityManager, userId: string): Promise<boolean> {
  await manager.query(`DELETE FROM user_recovery_code WHERE user_id = $1`, [userId]);
  const [, deleted] = await manager.query(`DELETE FROM user_second_factor WHERE user_id = $1`, [userId]);
  return Number(deleted) > 0;
}

/** Replaces every recovery code of the user with these (hashes only). */
export async function replaceRecoveryCodes(manager: EntityManager, userId: string, hashes: string[], now: Date): Promise<void> {
  await manager.query(`DELETE FROM user_recovery_code WHERE user_id = $1`, [userId]);
  await manager.query(
    `INSERT INTO user_recovery_code (user_id, code_hash, created_at) SELECT $1, hash, $3 FROM unnest($2::text[]) AS hash`,
    [userId, hashes, now],
  );
}

/** Uses the recovery code with this hash, once: answers the number of codes left, or null when it is unknown or used. */
export async function useRecoveryCode(manager: EntityManager, userId: string, hash: string, now: Date): Promise<number | null> {
  // UPDATE answers [rows, count] through TypeORM.
  const [, count]: [unknown[], number] = await manager.query(
    `UPDATE user_recovery_code SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
    [userId, hash, now],
  );
  if (Number(count) === 0) return null;
  const [{ left }] = await manager.query(`SELECT count(*)::int AS left FROM user_recovery_code WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  return Number(left);
}
