import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';
import { RateLimiter } from './rate-limiter.js';

export interface RateLimitRule {
  /** Names the counter. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** What is counted: hits from one address, or from one address for one value of a body field. */
  per: 'address' | { bodyField: string };
}

type RuleSource = (config: AppConfig) => RateLimitRule[];
const RATE_LIMIT_RULES = 'renfort:rateLimitRules';

/** Limits a route; the rules may read the configuration. */
export const RateLimit = (rules: RuleSource) => SetMetadata(RATE_LIMIT_RULES, rules);

export class TooManyRequestsError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', 'RATE_LIMIT.EXCEEDED', `Too many attempts; retry in ${retryAfterSeconds} s`);
  }
}

function counterKey(rule: RateLimitRule, request: FastifyRequest): string {
  if (rule.per === 'address') return `${rule.name}:${request.ip}`;
  const value = (request.body as Record<string, unknown> | undefined)?.[rule.per.bodyField];
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return `${rule.name}:${request.ip}:${createHash('sha256').update(normalized).digest('hex').slice(0, 32)}`;
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.reflector.get<RuleSource | undefined>(RATE_LIMIT_RULES, context.getHandler());
    if (!rules) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    for (const rule of rules(this.config)) {
      const decision = await this.limiter.hit(counterKey(rule, request), rule.limit, rule.windowSeconds);
      if (!decision.allowed) {
        void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(decision.retryAfterSeconds));
        throw new TooManyRequestsError(decision.retryAfterSeconds);
      }
    }
    return true;
  }
}
