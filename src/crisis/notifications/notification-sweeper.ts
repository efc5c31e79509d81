import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { logConnectionErrors } from '../../common/redis/connection-errors.js';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { Clock } from '../../common/time/clock.js';
import { FlagLateDeploymentCommand } from '../commands/system-commands.js';
import { AWAITING_ACKNOWLEDGEMENT, REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import {
  ALERTS_QUEUE, type AlertJob, alertJobOptions, ESCALATION_JOB_OPTIONS, ESCALATIONS_QUEUE, type EscalationJob, jobIds, NOTIFICATION_SWEEPS_QUEUE,
} from './queues.js';

/** How long a request may stay undelivered before the sweeper queues its delivery again. */
const PENDING_GRACE_MS = 60_000;

export interface SweepResult {
  redispatchedActivations: number;
  escalationsDue: number;
  lateDeployments: number;
  alertsRequeued: number;
}

/**
 * The safety net behind the queues: requests undelivered after a grace period get their
 * delivery queued again (a job lost with Redis comes back; one failed for good keeps its id, so
 * only a change of the member's webhook delivers again), requests past their acknowledgement deadline get their next step
 * run now (a delayed job is promoted, a lost one re-added), and accepted requests past their
 * deployment deadline are flagged late, alerts never composed are queued again. Deterministic job ids and the state checks of the
 * commands make every sweep harmless.
 */
@Injectable()
export class NotificationSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: DeliveryDispatcher,
    @InjectQueue(ESCALATIONS_QUEUE) private readonly escalations: Queue<EscalationJob>,
    @InjectQueue(ALERTS_QUEUE) private readonly alerts: Queue<AlertJob>,
    private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {}

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const pending: { activation_id: string }[] = await this.db.query(
      `SELECT DISTINCT activation_id FROM mobilization_request WHERE status = ANY($2::text[]) AND notified_at IS NULL AND created_at < $1`,
      [new Date(now.getTime() - PENDING_GRACE_MS).toISOString(), AWAITING_ACKNOWLEDGEMENT],
    );
    for (const { activation_id: activationId } of pending) await this.dispatcher.dispatchPending(activationId);

    const due: { id: string; escalation_level: number }[] = await this.db.query(
      `SELECT id, escalation_level FROM mobilization_request
       WHERE status = ANY($2::text[]) AND ack_deadline <= $1 AND delivery_started_at IS NOT NULL LIMIT 10000`,
      [now.toISOString(), REQUEST_LIFECYCLE.escalate.from],
    );
    for (const request of due) {
      const level = request.escalation_level + 1;
      const jobId = jobIds.escalate(request.id, level);
      const job = await this.escalations.getJob(jobId);
      const state = job ? await job.getState() : 'missing';
      if (state === 'delayed') await job!.promote();
      else if (state === 'completed' || state === 'failed' || state === 'missing') {
        if (job) await job.remove();
        await this.escalations.add('escalate', { kind: 'escalate', requestId: request.id, level }, { ...ESCALATION_JOB_OPTIONS, jobId });
      }
    }

    const late: { id: string }[] = await this.db.query(
      `SELECT id FROM mobilization_request
       WHERE status = $2 AND deployment_late_at IS NULL AND accepted_at + make_interval(mins => deploy_within_minutes) <= $1 LIMIT 10000`,
      [now.toISOString(), REQUEST_LIFECYCLE.deploy.from[0]],
    );
    for (const request of late) await this.commands.execute(new FlagLateDeploymentCommand(request.id));

    // Alerts gathered but never composed (their job lost with Redis): queued again; an existing job adds nothing.
    const uncomposed: { id: string }[] = await this.db.query(
      `SELECT id FROM contact_alert WHERE composed_at IS NULL AND created_at < $1 LIMIT 10000`,
      [new Date(now.getTime() - PENDING_GRACE_MS).toISOString()],
    );
    if (uncomposed.length > 0) {
      await this.alerts.addBulk(uncomposed.map(({ id }) => ({ name: 'compose', data: { alertId: id }, opts: alertJobOptions(id, 0) })));
    }
    return { redispatchedActivations: pending.length, escalationsDue: due.length, lateDeployments: late.length, alertsRequeued: uncomposed.length };
  }
}

@Processor(NOTIFICATION_SWEEPS_QUEUE)
export class NotificationSweepProcessor extends LoggedWorkerHost {
  constructor(private readonly sweeper: NotificationSweeper) {
    super();
  }

  async process(_job: Job): Promise<SweepResult> {
    return this.sweeper.sweep();
  }
}

@Injectable()
export class NotificationSweepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationSweepScheduler.name);

  constructor(@InjectQueue(NOTIFICATION_SWEEPS_QUEUE) private readonly queue: Queue) {
    logConnectionErrors(queue, this.logger, NotificationSweepScheduler.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('notification-sweep', { every: 30_000 }, {
      name: 'sweep',
      opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
    });
  }
}
