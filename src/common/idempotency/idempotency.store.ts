import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';

export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'in-flight' }
  | { outcome: 'mismatch' }
  /** `body`: the response's text as it was first sent, to be sent again byte for byte. */
  | { outcome: 'completed'; status: number; body: string };

/** A request still IN_FLIGHT after this long is taken to have died with its process. */
const ABANDONED_AFTER = '5 minutes';

/** Stored responses of commands sent with an Idempotency-Key, kept in PostgreSQL. */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Claims the key for this request, atomically: one concurrent caller wins, the others
   * learn whether the winner is still running, has finished, or sent another request.
   */
  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'IN_FLIGHT', now() + make_interval(hours => $4))
       ON CONFLICT (scope, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT', response_status = NULL,
             response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
            OR (idempotency_key.state = 'IN_FLIGHT' AND idempotency_key.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING 1`,
      [scope, key, requestHash, this.config.idempotencyTtlHours],
    );
    if (claimed.length > 0) return { outcome: 'claimed' };

    const [existing] = await this.db.query(
      `SELECT request_hash, state, response_status, response_body FROM idempotency_key WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (!existing) return this.claim(scope, key, requestHash);
    if (existing.request_hash !== requestHash) return { outcome: 'mismatch' };
    if (existing.state === 'IN_FLIGHT') return { outcome: 'in-flight' };
    return { outcome: 'completed', status: existing.response_status, body: existing.response_body };
  }

  /** Records the response as the text that was sent (text, not jsonb: jsonb reorders keys). */
  async complete(scope: string, key: string, status: number, text: string): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_key SET state = 'COMPLETED', response_status = $3, response_body = $4
       WHERE scope = $1 AND key = $2`,
      [scope, key, status, text],
    );
  }

  /** Forgets a claim whose request failed unexpectedly, so that a retry runs it again. */
  async release(scope: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_key WHERE scope = $1 AND key = $2 AND state = 'IN_FLIGHT'`, [scope, key]);
  }

  async purgeExpired(): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM idempotency_key WHERE expires_at < now()`);
    return Number(count ?? 0);
  }
}
