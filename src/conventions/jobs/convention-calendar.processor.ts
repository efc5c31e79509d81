import { BullModule, InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Job, Queue } from 'bullmq';
import { logConnectionErrors } from '../../common/redis/connection-errors.js';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { AuditModule } from '../../audit/audit.module.js';
import { ChannelsModule } from '../../channels/channels.module.js';
import { type CalendarRun, RunConventionCalendarCommand } from '../commands/run-convention-calendar.js';
import { ConventionNoticeSubscriptions, EmailConventionNoticeHandler } from './convention-notices.js';

export const CONVENTION_CALENDAR_QUEUE = 'convention-calendar';

/** Runs the daily pass over conventions (expiry, tacit renewal, review reminders). */
@Processor(CONVENTION_CALENDAR_QUEUE)
export class ConventionCalendarProcessor extends LoggedWorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async process(_job: Job): Promise<CalendarRun> {
    const run = await this.commands.execute(new RunConventionCalendarCommand());
    this.logger.log(`ConventionCalendarProcessor: ${run.day}: ${run.expired} expired, ${run.renewed} renewed, ${run.reminded} review reminders`);
    return run;
  }
}

@Injectable()
export class ConventionCalendarScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConventionCalendarScheduler.name);

  constructor(@InjectQueue(CONVENTION_CALENDAR_QUEUE) private readonly queue: Queue) {
    logConnectionErrors(queue, this.logger, ConventionCalendarScheduler.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Every night at 01:00 Paris time; one scheduler id, whatever the number of workers.
    await this.queue.upsertJobScheduler('convention-calendar-daily', { pattern: '0 1 * * *', tz: 'Europe/Paris' }, {
      name: 'run',
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
    });
  }
}

@Module({
  imports: [BullModule.registerQueue({ name: CONVENTION_CALENDAR_QUEUE }), AuditModule, ChannelsModule],
  providers: [ConventionCalendarProcessor, ConventionCalendarScheduler, EmailConventionNoticeHandler, ConventionNoticeSubscriptions],
})
export class ConventionWorkersModule {}
