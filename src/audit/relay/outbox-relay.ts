import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions, Queue } from 'bullmq';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { connectionPool } from '../../common/database/pipelined-transaction.js';
import { logConnectionErrors } from '../../common/redis/connection-errors.js';
import type { RecordedDomainEvent } from '../domain/domain-event.js';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow, SEAL_BATCH, toStoredEvent } from '../persistence.js';
import { DomainEventSubscribers } from './domain-event-subscribers.js';
import { type DomainEventBatch, domainEventBatchJobId, DOMAIN_EVENT_JOB_OPTIONS, DOMAIN_EVENTS_QUEUE, domainEventJobId } from './queues.js';

const CURSOR = 'domain-events';
/** Arbitrary, fixed key of the advisory lock that keeps one relay active at a time (not the chain's: appends never wait for the relay). */
const RELAY_LOCK_KEY = 7_310_742_003;
const PUBLISH_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Seals the events commands recorded into the chain, then publishes them to BullMQ, in
 * sequence order, those of the types a context subscribed to (DomainEventSubscribers,
 * registered as the modules start). Sealing goes on while the queue is down. The cursor advances only
 * after the queue (Redis, or BullMQ's PostgreSQL backend) accepted the jobs: if it is down
 * nothing moves and nothing is lost. A crash between the two re-adds the same job ids, which
 * BullMQ ignores, so no event is queued twice (but for the events published in batches: see
 * `jobsOf`). A session advisory lock makes one relay active
 * at a time however many worker processes run.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(DOMAIN_EVENTS_QUEUE) private readonly queue: Queue,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly subscribers: DomainEventSubscribers,
  ) {
    logConnectionErrors(queue, this.logger, OutboxRelay.name);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Publishes one batch; answers how many events were handed to the queue. */
  async relayOnce(): Promise<number> {
    // The relay's own connection, outside any transaction: publishing may take a while (the
    // queue may be down, or live in this very database) and must hold no row lock meanwhile.
    const client = await connectionPool(this.db).connect();
    let failure: Error | undefined;
    try {
      const { rows: [{ leader }] } = await client.query('SELECT pg_try_advisory_lock($1) AS leader', [RELAY_LOCK_KEY]);
      if (!leader) return 0;
      try {
        return await this.publishBatch(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]);
      }
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // After a failure the connection may still hold the lock: it is closed, not reused.
      client.release(failure);
    }
  }

  private async publishBatch(client: pg.PoolClient): Promise<number> {
    // Sealed in a transaction of its own, whether or not the queue then takes them.
    await client.query(`SELECT audit_seal_pending($1)`, [SEAL_BATCH]);
    const { rows: [cursor] } = await client.query(`SELECT last_sequence FROM outbox_cursor WHERE name = $1`, [CURSOR]);
    if (!cursor) return 0;
    const { rows } = await client.query<AuditEventRow>(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_event WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
      [cursor.last_sequence, this.config.relay.batchSize],
    );
    if (rows.length === 0) return 0;
    const events = rows.map(toRecordedEvent);
    // An event that no context subscribed to stays in the log and is not queued: a job with
    // no one to run it would only cost the queue's time, thousands of times a minute in a crisis.
    const wanted = events.filter((event) => this.subscribers.wants(event.type));
    if (wanted.length > 0) {
      await withTimeout(this.queue.addBulk(this.jobsOf(wanted)), PUBLISH_TIMEOUT_MS, 'Publishing to the queue');
    }
    await client.query(`UPDATE outbox_cursor SET last_sequence = $2, updated_at = now() WHERE name = $1`, [CURSOR, events[events.length - 1].sequence]);
    return events.length;
  }

  /**
   * One job per event, but one per type for the types subscribed in batches: a sweep's 5,000
   * escalations make a few jobs, not 5,000. A batch's id is its first and last sequences: should a
   * crash between queuing and moving the cursor make the next pass read a longer batch, that one
   * is queued too (its events handed over again, to idempotent subscribers), and none is lost.
   */
  private jobsOf(events: RecordedDomainEvent[]) {
    const batches = new Map<string, RecordedDomainEvent[]>();
    const jobs: { name: string; data: RecordedDomainEvent | DomainEventBatch; opts: JobsOptions }[] = [];
    for (const event of events) {
      if (!this.subscribers.batched(event.type)) {
        jobs.push({ name: event.type, data: event, opts: { ...DOMAIN_EVENT_JOB_OPTIONS, jobId: domainEventJobId(event.sequence) } });
        continue;
      }
      const batch = batches.get(event.type);
      if (batch) batch.push(event);
      else batches.set(event.type, [event]);
    }
    for (const [type, batch] of batches) {
      jobs.push({ name: type, data: { type, events: batch }, opts: { ...DOMAIN_EVENT_JOB_OPTIONS, jobId: domainEventBatchJobId(batch) } });
    }
    return jobs;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let next = this.config.relay.intervalMs;
    try {
      const published = await this.relayOnce();
      if (this.failures > 0) this.logger.log(`OutboxRelay: publishing again after ${this.failures} failed attempts`);
      this.failures = 0;
      // A full batch means more may be waiting: go on at once.
      if (published >= this.config.relay.batchSize) next = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures === 1 || this.failures % 50 === 0) {
        this.logger.warn(`OutboxRelay: cannot publish events (attempt ${this.failures}): ${(error as Error).message}`);
      }
      next = Math.min(MAX_BACKOFF_MS, this.config.relay.intervalMs * 2 ** Math.min(this.failures, 10));
    }
    this.schedule(next);
  }
}

function toRecordedEvent(row: AuditEventRow): RecordedDomainEvent {
  const { prevHash: _p, hash: _h, occurredAt, ...event } = toStoredEvent(row);
  return { ...event, occurredAt: occurredAt.toISOString() };
}
