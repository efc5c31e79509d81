import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { logConnectionErrors } from '../../common/redis/connection-errors.js';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { Clock } from '../../common/time/clock.js';
import { EscalateDueRequestsCommand, type EscalationSweepResult } from '../commands/escalate-due-requests.js';
import { FlagLateDeploymentCommand } from '../commands/system-commands.js';
import { AWAITING_ACKNOWLEDGEMENT, REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { WebhookDeliveryLog } from './webhook-delivery-log.js';
import { ALERTS_QUEUE, type AlertJob, alertJobOptions, NOTIFICATION_SWEEPS_QUEUE } from './queues.js';

/** How long a request may stay undelivered before the sweeper queues its delivery again. */
const PENDING_GRACE_MS = 60_000;

export interface SweepResult {
  redispatchedActivations: number;
  /** Requests moved one step along their chain (the escalation sweep, run here too). */
  escalated: number;
  lateDeployments: number;
  alertsRequeued: number;
}

/**
 * The safety net behind the queues: requests undelivered after a grace period get their
 * delivery queued again (a job lost with Redis comes back; one failed for good keeps its id, so
 * only a change of the member's webhook delivers again), requests past their acknowledgement deadline get their next step
 * (the escalation sweep, which also runs on its own every ESCALATION_SWEEP_MS), and accepted requests past their
 * deployment deadline are flagged late, alerts never composed are queued again. Deterministic job ids and the state checks of the
 * commands make every sweep harmless.
 */
@Injectable()
export class NotificationSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: DeliveryDispatcher,
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

    const { escalated } = await this.commands.execute(new EscalateDueRequestsCommand());

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
    return { redispatchedActivations: pending.length, escalated, lateDeployments: late.length, alertsRequeued: uncomposed.length };
  }
}

/** The hourly job, on the sweeps' queue, that forgets webhook delivery attempts past their retention. */
const PURGE_WEBHOOK_DELIVERIES = 'purge-webhook-deliveries';
/** The job, on the sweeps' queue every ESCALATION_SWEEP_MS, that escalates the requests whose deadline passed. */
const ESCALATE_DUE_REQUESTS = 'escalate-due-requests';

@Processor(NOTIFICATION_SWEEPS_QUEUE)
export class NotificationSweepProcessor extends LoggedWorkerHost {
  constructor(
    private readonly sweeper: NotificationSweeper,
    private readonly deliveryLog: WebhookDeliveryLog,
    private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {
    super();
  }

  async process(job: Job): Promise<SweepResult | EscalationSweepResult | { purged: number }> {
    if (job.name === ESCALATE_DUE_REQUESTS) return this.commands.execute(new EscalateDueRequestsCommand());
    if (job.name === PURGE_WEBHOOK_DELIVERIES) {
      const purged = await this.deliveryLog.purge(this.clock.now());
      if (purged > 0) this.logger.log(`NotificationSweepProcessor: purged ${purged} webhook delivery attempts`);
      return { purged };
    }
    return this.sweeper.sweep();
  }
}

@Injectable()
export class NotificationSweepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationSweepScheduler.name);

  constructor(
    @InjectQueue(NOTIFICATION_SWEEPS_QUEUE) private readonly queue: Queue,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    logConnectionErrors(queue, this.logger, NotificationSweepScheduler.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('notification-sweep', { every: 30_000 }, {
      name: 'sweep',
      opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
    });
    // Deadlines are data: one set-based sweep every few seconds, not a delayed job per request.
    await this.queue.upsertJobScheduler('escalation-sweep', { every: this.config.escalation.sweepMs }, {
      name: ESCALATE_DUE_REQUESTS,
      opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
    });
    await this.queue.upsertJobScheduler('webhook-delivery-purge-hourly', { every: 3_600_000 }, {
      name: PURGE_WEBHOOK_DELIVERIES,
      opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } },
    });
  }
}
