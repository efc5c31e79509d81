import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import type { Job } from 'bullmq';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { EscalateRequestCommand } from '../commands/system-commands.js';
import { ESCALATIONS_QUEUE, type EscalationJob } from './queues.js';

/** Delayed jobs at each acknowledgement deadline: the next step of the chain. */
@Processor(ESCALATIONS_QUEUE, { concurrency: 20 })
export class EscalationProcessor extends LoggedWorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async process(job: Job<EscalationJob>): Promise<unknown> {
    const data = job.data;
    const escalation = await this.commands.execute(new EscalateRequestCommand(data.requestId, data.level));
    return escalation ? { escalated: escalation.level } : { skipped: 'acknowledged, answered or already escalated' };
  }
}
