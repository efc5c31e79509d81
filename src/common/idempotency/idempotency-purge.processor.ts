import { InjectQueue, Processor } from '@nestjs/bullmq';
import { logConnectionErrors } from '../redis/connection-errors.js';
import { LoggedWorkerHost } from '../redis/logged-worker-host.js';
import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { IdempotencyModule } from './idempotency.module.js';
import { IdempotencyStore } from './idempotency.store.js';

export const IDEMPOTENCY_PURGE_QUEUE = 'idempotency-purge';

/** Deletes expired idempotency keys every hour. */
@Processor(IDEMPOTENCY_PURGE_QUEUE)
export class IdempotencyPurgeProcessor extends LoggedWorkerHost {
  constructor(private readonly store: IdempotencyStore) {
    super();
  }

  async process(_job: Job): Promise<{ purged: number }> {
    const purged = await this.store.purgeExpired();
    if (purged > 0) this.logger.log(`IdempotencyPurgeProcessor: purged ${purged} expired keys`);
    return { purged };
  }
}

@Injectable()
export class IdempotencyPurgeScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdempotencyPurgeScheduler.name);

  constructor(@InjectQueue(IDEMPOTENCY_PURGE_QUEUE) private readonly queue: Queue) {
    logConnectionErrors(queue, this.logger, IdempotencyPurgeScheduler.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    // One scheduler id: every worker process upserts the same schedule.
    await this.queue.upsertJobScheduler('idempotency-purge-hourly', { every: 3_600_000 }, {
      name: 'purge',
      opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } },
    });
  }
}

@Module({
  imports: [IdempotencyModule, BullModule.registerQueue({ name: IDEMPOTENCY_PURGE_QUEUE })],
  providers: [IdempotencyPurgeProcessor, IdempotencyPurgeScheduler],
})
export class IdempotencyWorkersModule {}
