import { Logger } from '@nestjs/common';
import { createPostgresBackend, runMigrations, setDefaultBackendFactory, type PgPool } from 'bullmq';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { dataSourceOptions } from '../../config/database.js';
import { ensureDatabaseReady } from './database/migrations-runner.js';
import { EmbeddedPostgres, IN_MEMORY } from './database/embedded/embedded-postgres.js';
import { ensureRedisReachable } from './redis/redis-reachable.js';
import { describeUrl } from './startup-error.js';

/** The schema BullMQ's PostgreSQL backend keeps its queues in, beside the application's tables. */
export const QUEUE_SCHEMA = 'bullmq';

const logger = new Logger('Backends');

/** Connections of the queues to PostgreSQL: one per queue, worker and queue-event listener, and spares. */
const QUEUE_POOL_SIZE = 60;
const CLOSE_WAIT_MS = 5000;

/**
 * Where this process keeps its data and its queues, settled before the application is built:
 * the PostgreSQL server of DATABASE_URL or the embedded database, and the Redis server of
 * REDIS_URL or BullMQ's PostgreSQL backend in that same database. A configured server that
 * does not answer stops start-up: nothing falls back silently.
 */
export class Backends {
  private constructor(
    private readonly config: AppConfig,
    readonly embedded: EmbeddedPostgres | null,
    private readonly queuePool: pg.Pool | null,
  ) {}

  static async open(config: AppConfig): Promise<Backends> {
    let embedded: EmbeddedPostgres | null = null;
    if (config.databaseUrl) {
      await ensureDatabaseReady(config.databaseUrl, { createIfMissing: config.nodeEnv !== 'production' });
    } else {
      embedded = await EmbeddedPostgres.open(config.embeddedDataDir, {
        waitLimitMs: config.requestTimeoutMs,
        // One session for the application and the queues: their tables apart, both reachable.
        sessionSql: `SET search_path TO public, ${QUEUE_SCHEMA}`,
      });
    }
    if (config.redisUrl) await ensureRedisReachable(config.redisUrl);

    let queuePool: pg.Pool | null = null;
    try {
      if (!config.redisUrl) {
        // Every Queue, Worker and QueueEvents keeps one connection of the pool for LISTEN: room for all.
        queuePool = embedded
          ? new pg.Pool({ ...embedded.clientOptions(), max: QUEUE_POOL_SIZE })
          : new pg.Pool({ connectionString: config.databaseUrl!, options: `-c search_path=${QUEUE_SCHEMA}`, max: QUEUE_POOL_SIZE, application_name: 'renfort-queues' });
        queuePool.setMaxListeners(0);
        queuePool.on('error', (error) => logger.warn(`Queues: PostgreSQL connection error: ${error.message}`));
        if (config.runMigrations) {
          const client = await queuePool.connect();
          try {
            await runMigrations(client, QUEUE_SCHEMA);
          } finally {
            client.release();
          }
        }
      }
      // Every Queue and Worker built from here on uses the backend chosen above.
      setDefaultBackendFactory(config.redisUrl ? undefined : createPostgresBackend);
    } catch (error) {
      await queuePool?.end().catch(() => undefined);
      await embedded?.close();
      throw error;
    }
    const backends = new Backends(config, embedded, queuePool);
    return backends;
  }

  get databaseDescription(): string {
    if (this.config.databaseUrl) return `PostgreSQL at ${describeUrl(this.config.databaseUrl)}`;
    return this.config.embeddedDataDir === IN_MEMORY ? 'embedded PostgreSQL in memory' : `embedded PostgreSQL in ${this.embedded!.dataDir}`;
  }

  get queueDescription(): string {
    return this.config.redisUrl ? `Redis at ${describeUrl(this.config.redisUrl)}` : `PostgreSQL (schema ${QUEUE_SCHEMA})`;
  }

  dataSourceOptions(): DataSourceOptions {
    return dataSourceOptions(this.embedded ?? this.config.databaseUrl!, this.config.requestTimeoutMs);
  }

  /** The `connection` of every Queue and Worker. */
  queueConnection(): { url: string; maxRetriesPerRequest: null } | PgPool {
    // Workers block on Redis: ioredis must retry forever rather than fail their commands.
    return this.queuePool ?? { url: this.config.redisUrl!, maxRetriesPerRequest: null };
  }

  async close(): Promise<void> {
    // The queues released their connections when the application closed; never wait forever on one.
    if (this.queuePool) await Promise.race([this.queuePool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    await this.embedded?.close();
  }

  /** The embedded database or queues on PostgreSQL: for trying Renfort, never for production. */
  get trialMode(): boolean {
    return this.embedded !== null || !this.config.redisUrl;
  }

}
