import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config.js';
import { logConnectionErrors } from '../../common/redis/connection-errors.js';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { CreateAuditCheckpointCommand } from '../commands/create-audit-checkpoint.js';

export const AUDIT_CHECKPOINT_QUEUE = 'audit-checkpoint';

/** Signs the audit chain's head, every AUDIT_CHECKPOINT_INTERVAL. */
@Processor(AUDIT_CHECKPOINT_QUEUE)
export class AuditCheckpointProcessor extends LoggedWorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async process(_job: Job): Promise<{ created: boolean; sequence: number | null }> {
    try {
      const { created, checkpoint } = await this.commands.execute(new CreateAuditCheckpointCommand());
      return { created, sequence: checkpoint?.sequence ?? null };
    } catch (error) {
      // A broken chain is for people to investigate: said loudly at every run, never signed.
      this.logger.error(`AuditCheckpointProcessor: ${(error as Error).message}`);
      throw error;
    }
  }
}

@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditCheckpointScheduler.name);

  constructor(
    @InjectQueue(AUDIT_CHECKPOINT_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    logConnectionErrors(queue, this.logger, AuditCheckpointScheduler.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    // One scheduler id: every worker process upserts the same schedule.
    await this.queue.upsertJobScheduler('audit-checkpoint', { every: this.config.auditCheckpoint.intervalMs }, {
      name: 'checkpoint',
      opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } },
    });
  }
}
