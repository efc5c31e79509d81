import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import type { Actor } from '../auth/role.js';
import { DomainError } from '../errors/domain-error.js';
import { RateLimiter } from './rate-limiter.js';

export interface RateLimitRule {
  /** Names the counter. */
  name: string;
  limit: number;
  windowSeconds: number;
  /**
   * What is counted: hits from one address, from one address for one value of a body field (or
   * for that value from every address together, `acrossAddresses`), or by one signed-in user.
   */
  per: 'address' | 'subject' | { bodyField: string; acrossAddresses?: boolean };
}

type RuleSource = (config: AppConfig) => RateLimitRule[];
type SignedInRequest = FastifyRequest & { actor?: Actor };
const RATE_LIMIT_RULES = 'renfort:rateLimitRules';

/** Limits a route; the rules may read the configuration. */
export const RateLimit = (rules: RuleSource) => SetMetadata(RATE_LIMIT_RULES, rules);

export class TooManyRequestsError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', 'RATE_LIMIT.EXCEEDED', `Too many attempts; retry in ${retryAfterSeconds} s`);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Every command (a non-GET request by a signed-in user) is counted per user, so that one runaway
 * client cannot saturate the service for the others; a route may add its own rules. The user is
 * the authenticated subject, never the header's spelling: `bearer`, `BEARER` or extra spaces
 * around the same token are the same bucket.
 */
const COMMAND_RULE = (config: AppConfig): RateLimitRule => ({
  name: 'commands',
  limit: config.commandThrottle.limit,
  windowSeconds: config.commandThrottle.ttlSeconds,
  per: 'subject',
});

function counterKey(rule: RateLimitRule, request: SignedInRequest): string {
  if (rule.per === 'address') return `${rule.name}:${request.ip}`;
  if (rule.per === 'subject') return `${rule.name}:${request.actor?.userId ?? `address:${request.ip}`}`;
  const value = (request.body as Record<string, unknown> | undefined)?.[rule.per.bodyField];
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (rule.per.acrossAddresses) return `${rule.name}:${digest(normalized)}`;
  return `${rule.name}:${request.ip}:${digest(normalized)}`;
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const routeRules = this.reflector.get<RuleSource | undefined>(RATE_LIMIT_RULES, context.getHandler())?.(this.config) ?? [];
    // The caller of a command is authenticated before its body is read (app.factory.ts).
    const isCommand = request.method !== 'GET' && request.method !== 'HEAD' && Boolean(request.actor);
    const rules = isCommand ? [...routeRules, COMMAND_RULE(this.config)] : routeRules;
    for (const rule of rules) {
      const decision = await this.limiter.hit(counterKey(rule, request), rule.limit, rule.windowSeconds);
      if (!decision.allowed) {
        void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(decision.retryAfterSeconds));
        throw new TooManyRequestsError(decision.retryAfterSeconds);
      }
    }
    return true;
  }
}
