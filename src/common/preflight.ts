import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { ensureDatabaseReady } from './database/migrations-runner.js';
import { describeUrl, StartupError } from './startup-error.js';

const REDIS_WAIT_MS = 5000;

async function ensureRedisReachable(redisUrl: string): Promise<void> {
  let lastError = 'no answer';
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  const deadline = Date.now() + REDIS_WAIT_MS;
  try {
    while (Date.now() < deadline) {
      try {
        if (client.status !== 'ready') await client.connect();
        await client.ping();
        return;
      } catch (error) {
        lastError = (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    client.disconnect();
  }
  throw new StartupError(`Cannot reach Redis at ${describeUrl(redisUrl)} (REDIS_URL): ${lastError}`);
}

/**
 * Checks, before anything is built, that the configured servers answer: a wrong URL stops
 * start-up at once with a message naming the setting. Once running, the service rides out
 * outages (the outbox keeps every event while Redis is away).
 */
export async function preflight(config: AppConfig): Promise<void> {
  await ensureDatabaseReady(config.databaseUrl, { createIfMissing: config.nodeEnv !== 'production' });
  await ensureRedisReachable(config.redisUrl);
}
