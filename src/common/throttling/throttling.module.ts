import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Rate limits on the routes marked @RateLimit. Written here rather than taken from
 * @nestjs/throttler, whose CommonJS build cannot load the ESM-only Nest 12 under Jest.
 */
@Global()
@Module({
  providers: [RateLimiter, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimiter],
})
export class ThrottlingModule {}
