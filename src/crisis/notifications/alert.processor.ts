import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import type { Job } from 'bullmq';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { AlertScheduler } from './alert-scheduler.js';
import { ComposeAlertCommand } from './compose-alert.js';
import { ALERTS_QUEUE, type AlertJob } from './queues.js';

/** Composes an alert's messages, once (the command checks), and queues them at once. */
@Processor(ALERTS_QUEUE, { concurrency: 20 })
export class AlertProcessor extends LoggedWorkerHost {
  constructor(
    private readonly commands: CommandBus,
    private readonly alerts: AlertScheduler,
  ) {
    super();
  }

  async process(job: Job<AlertJob>): Promise<unknown> {
    const composed = await this.commands.execute(new ComposeAlertCommand(job.data.alertId));
    if (!composed) return { skipped: 'already composed' };
    await this.alerts.queueDeliveries(composed);
    return { messages: composed.deliveries.length };
  }
}
