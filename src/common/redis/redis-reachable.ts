import { Redis } from 'ioredis';
import { describeUrl, StartupError } from '../startup-error.js';

const REDIS_WAIT_MS = 5000;

/** Waits briefly for the Redis server of REDIS_URL; stops start-up, naming the setting, if it never answers. */
export async function ensureRedisReachable(redisUrl: string): Promise<void> {
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
