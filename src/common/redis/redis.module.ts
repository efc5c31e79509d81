import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../../config/app-config.js';

/**
 * A shared Redis connection for the service's own light uses (health, throttling), or null
 * when no Redis is configured (queues on PostgreSQL, throttling per process).
 * It fails fast while Redis is down instead of queueing commands: callers degrade.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly connection: Redis | null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    if (!config.redisUrl) {
      this.connection = null;
      return;
    }
    this.connection = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      lazyConnect: false,
    });
    // Connection errors surface through failing commands; ioredis keeps reconnecting.
    this.connection.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.connection?.disconnect();
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
