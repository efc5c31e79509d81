import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../errors/domain-error.js';

/**
 * How long one process trusts what it read of a user's sessions. Another instance that disabled
 * the user, or withdrew its member, is heard from within this time; this one hears at once.
 */
export const SESSION_CACHE_MS = 1_000;
// Enough for every user signed in at once; past it the oldest entries go first.
const MAX_CACHED_USERS = 10_000;

export class TokenRevokedError extends UnauthenticatedError {
  constructor() {
    super('AUTH.TOKEN_REVOKED', 'The bearer token has been revoked; sign in again');
  }
}

export class AccountDisabledError extends UnauthenticatedError {
  constructor(reason = 'This account is disabled') {
    super('AUTH.ACCOUNT_DISABLED', reason);
  }
}

interface SessionState {
  /** null when the user no longer exists. */
  tokenVersion: number | null;
  disabled: boolean;
  memberWithdrawn: boolean;
}

/** Why a user may not act, whatever its token says, or null. */
export function refusalOf(state: { disabled: boolean; memberWithdrawn: boolean }): AccountDisabledError | null {
  if (state.disabled) return new AccountDisabledError();
  if (state.memberWithdrawn) return new AccountDisabledError('The member this account acts for has withdrawn');
  return null;
}

/**
 * Whether a token that verifies is still current: its user exists, is enabled, its member has not
 * withdrawn, and nothing ended its sessions since it was issued. One indexed read per user and
 * second at most: the cache keeps the answer of the database (or the look-up under way) briefly.
 */
@Injectable()
export class TokenRevocation {
  private readonly cache = new Map<string, { state: Promise<SessionState>; until: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async assertCurrent(userId: string, tokenVersion: number): Promise<void> {
    const state = await this.stateOf(userId);
    if (state.tokenVersion === null || state.tokenVersion !== tokenVersion) throw new TokenRevokedError();
    const refusal = refusalOf(state);
    if (refusal) throw refusal;
  }

  /** Called after the commit of a change to the user's sessions, so that this process applies it at once. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  /** After a change that touches many users (a member withdrawn). */
  forgetAll(): void {
    this.cache.clear();
  }

  private stateOf(userId: string): Promise<SessionState> {
    const now = Date.now();
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.state;
    const state = this.read(userId);
    this.cache.delete(userId);
    if (this.cache.size >= MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(userId, { state, until: now + SESSION_CACHE_MS });
    // A failed read is not kept: the next request tries the database again.
    state.catch(() => {
      if (this.cache.get(userId)?.state === state) this.cache.delete(userId);
    });
    return state;
  }

  private async read(userId: string): Promise<SessionState> {
    const [row] = await this.db.query(
      `SELECT u.token_version, u.disabled_at IS NOT NULL AS disabled, coalesce(m.status = 'WITHDRAWN', false) AS member_withdrawn
       FROM users u LEFT JOIN member m ON m.id = u.member_id WHERE u.id = $1`,
      [userId],
    );
    if (!row) return { tokenVersion: null, disabled: false, memberWithdrawn: false };
    return { tokenVersion: Number(row.token_version), disabled: row.disabled, memberWithdrawn: row.member_withdrawn };
  }
}

@Global()
@Module({ providers: [TokenRevocation], exports: [TokenRevocation] })
export class TokenRevocationModule {}
