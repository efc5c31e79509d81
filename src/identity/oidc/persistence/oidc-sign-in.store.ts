import type { EntityManager } from 'typeorm';

/** What a started sign-in keeps on the server until the provider sends the browser back. */
export interface NewOidcSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  browserHash: string;
  createdAt: Date;
  expiresAt: Date;
}

/** An attempt taken for its callback: its secrets, now spent. */
export interface ClaimedOidcSignIn {
  id: string;
  nonce: string;
  codeVerifier: string;
}

/** Why an attempt could not be taken, when it could not. */
export type Unclaimable = 'UNKNOWN_STATE' | 'BROWSER_MISMATCH' | 'STATE_USED' | 'STATE_EXPIRED';

/** Attempts and sessions are kept this long after they end, so that a late callback is told "expired" rather than "unknown". */
const KEPT_AFTER_END = '1 day';

export async function recordOidcSignIn(manager: EntityManager, attempt: NewOidcSignIn): Promise<void> {
  await manager.query(
    `INSERT INTO oidc_sign_in (state, nonce, code_verifier, browser_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [attempt.state, attempt.nonce, attempt.codeVerifier, attempt.browserHash, attempt.createdAt, attempt.expiresAt],
  );
}

/** Deletes the attempts and the signed-in sessions whose life ended more than a day ago. */
export async function deleteEndedOidcSignIns(manager: EntityManager, now: Date): Promise<void> {
  await manager.query(`DELETE FROM oidc_sign_in WHERE coalesce(session_expires_at, expires_at) < $1::timestamptz - interval '${KEPT_AFTER_END}'`, [now]);
}

/**
 * Takes the attempt of this state for its callback, once: the one statement that marks it used
 * also checks that it is still fresh and that this browser started it, so that two callbacks
 * with the same answer cannot both go through.
 */
export async function claimOidcSignIn(manager: EntityManager, state: string, browserHash: string | null, now: Date): Promise<ClaimedOidcSignIn | Unclaimable> {
  // UPDATE ... RETURNING answers [rows, count] through TypeORM.
  const [claimed]: [{ id: string; nonce: string; code_verifier: string }[]] = await manager.query(
    `UPDATE oidc_sign_in SET used_at = $3
     WHERE state = $1 AND browser_hash = $2 AND used_at IS NULL AND expires_at > $3
     RETURNING id, nonce, code_verifier`,
    [state, browserHash ?? '', now],
  );
  const row = claimed[0];
  if (row) return { id: row.id, nonce: row.nonce, codeVerifier: row.code_verifier };
  const [found] = await manager.query(`SELECT browser_hash, used_at, expires_at FROM oidc_sign_in WHERE state = $1`, [state]);
  if (!found) return 'UNKNOWN_STATE';
  if (found.browser_hash !== browserHash) return 'BROWSER_MISMATCH';
  if (found.used_at !== null) return 'STATE_USED';
  return 'STATE_EXPIRED';
}

export async function recordOidcRefusal(manager: EntityManager, id: string, subject: string | null, userId: string | null): Promise<void> {
  await manager.query(`UPDATE oidc_sign_in SET outcome = 'REFUSED', subject = $2, user_id = $3 WHERE id = $1`, [id, subject, userId]);
}

export async function recordOidcSession(
  manager: EntityManager,
  id: string,
  session: { subject: string; userId: string; idToken: string; expiresAt: Date },
): Promise<void> {
  await manager.query(
    `UPDATE oidc_sign_in SET outcome = 'SIGNED_IN', subject = $2, user_id = $3, id_token = $4, session_expires_at = $5 WHERE id = $1`,
    [id, session.subject, session.userId, session.idToken, session.expiresAt],
  );
}

/**
 * Ends the user's sessions from the provider (signing out ends every session of the user) and
 * answers the ID token of the one named, for the provider's own sign-out, or, for a `latest`
 * caller whose token no longer names its sign-in (a token issued again at step-up), the latest
 * one's; null when there is none.
 */
export async function endOidcSessions(
  manager: EntityManager,
  userId: string,
  which: { signInId: string } | 'latest' | null,
  now: Date,
): Promise<string | null> {
  const [rows]: [{ id: string; id_token: string | null; created_at: Date }[]] = await manager.query(
    `WITH ended AS (
       SELECT id, id_token, created_at FROM oidc_sign_in WHERE user_id = $1 AND outcome = 'SIGNED_IN' AND ended_at IS NULL FOR UPDATE
     )
     UPDATE oidc_sign_in s SET ended_at = $2, id_token = NULL FROM ended WHERE s.id = ended.id RETURNING ended.id, ended.id_token, ended.created_at`,
    [userId, now],
  );
  if (which === null) return null;
  const row = which === 'latest' ? rows.sort((a, b) => b.created_at.getTime() - a.created_at.getTime())[0] : rows.find((candidate) => candidate.id === which.signInId);
  return row?.id_token ?? null;
}
