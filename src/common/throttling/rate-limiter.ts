import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppConfig } from '../../../config/app-config.js';
import { RedisClient } from '../redis/redis.module.js';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window that refused the hit closes. */
  retryAfterSeconds: number;
}

// Fixed window per key: the first hit starts the window, hits past the limit are refused.
export const RATE_LIMIT_HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;
/** Redis runs the script by its digest: the text goes over the wire only when Redis lacks it (after a restart). */
const HIT_DIGEST = createHash('sha1').update(RATE_LIMIT_HIT).digest('hex');

const MEMORY_KEYS_MAX = 100_000;

/**
 * Counts hits per key and window, shared by every API process through Redis. While Redis
 * is down the limits still hold per process, from memory: the service stays open and
 * still throttled.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly memory = new Map<string, { hits: number; resetAt: number }>();
  private degraded = false;

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const [hits, remainingMs] = await this.count(key, windowSeconds * 1000);
    return { allowed: hits <= limit, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }

  /** Hits so far in the key's window and the milliseconds left in it. */
  private async count(key: string, windowMs: number): Promise<[number, number]> {
    const redis = this.redis.connection;
    // Without Redis (queues on PostgreSQL) the limits hold per process.
    if (!redis) return this.hitInMemory(key, windowMs);
    try {
      const counted = await this.hitInRedis(redis, `${this.config.queuePrefix}:rate:${key}`, windowMs);
      if (this.degraded) this.logger.log('RateLimiter: Redis is back; limits are shared again');
      this.degraded = false;
      return counted;
    } catch (error) {
      if (!this.degraded) this.logger.warn(`RateLimiter: Redis unavailable, limiting per process: ${(error as Error).message}`);
      this.degraded = true;
      return this.hitInMemory(key, windowMs);
    }
  }

  private async hitInRedis(redis: Redis, key: string, windowMs: number): Promise<[number, number]> {
    try {
      return (await redis.evalsha(HIT_DIGEST, 1, key, windowMs)) as [number, number];
    } catch (error) {
      if (!(error as Error).message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(RATE_LIMIT_HIT, 1, key, windowMs)) as [number, number];
    }
  }

  private hitInMemory(key: string, windowMs: number): [number, number] {
    const now = Date.now();
    if (this.memory.size >= MEMORY_KEYS_MAX) {
      for (const [k, entry] of this.memory) if (entry.resetAt <= now) this.memory.delete(k);
      if (this.memory.size >= MEMORY_KEYS_MAX) this.memory.clear();
    }
    const entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) {
      this.memory.set(key, { hits: 1, resetAt: now + windowMs });
      return [1, windowMs];
    }
    entry.hits += 1;
    return [entry.hits, entry.resetAt - now];
  }
}
