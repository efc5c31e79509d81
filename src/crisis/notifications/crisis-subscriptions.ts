import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { RecordedDomainEvent } from '../../audit/domain/domain-event.js';
import { DomainEventSubscribers } from '../../audit/relay/domain-event-subscribers.js';
import type { Escalation } from '../commands/system-commands.js';
import { AlertScheduler } from './alert-scheduler.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { jobIds, notificationJobOptions, NOTIFICATIONS_QUEUE, type NotificationJob } from './queues.js';

/**
 * Turns committed events into queued work, so that nothing depends on a process surviving
 * between a commit and an enqueue: authorization → deliveries; escalations → the people of the
 * steps reached, and notices; stand-downs → notices; late deployment → reminder; a member's
 * webhook changed → its undelivered requests, again. Escalations and stand-downs come by the
 * thousand from one statement: the relay hands them over in batches, and their notices go out
 * in one job per member (and step, or activation and cause), not one per request.
 */
@Injectable()
export class CrisisSubscriptions implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscribers: DomainEventSubscribers,
    private readonly dispatcher: DeliveryDispatcher,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly notifications: Queue<NotificationJob>,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly alerts: AlertScheduler,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe('ActivationAuthorized', async (event) => {
      await this.dispatcher.prepareFanOut(event.aggregateId, Number(event.payload.requestCount ?? 0));
      await this.dispatcher.dispatchPending(event.aggregateId);
    });
    this.subscribers.subscribeBatch('MobilizationRequestEscalated', async (events) => this.onEscalated(events));
    this.subscribers.subscribeBatch('MobilizationRequestStoodDown', async (events) => this.onStoodDown(events));
    // Deployment deadlines are data: the sweeper flags, set by set, every accepted request past its
    // deadline (no job per acceptance, which would double the queue work of every answer).
    this.subscribers.subscribe('MobilizationRequestDeploymentLate', async (event) => {
      // Reminded once: the job id is the request's, whatever replays the event.
      await this.notifications.add(
        'deployment-overdue',
        { kind: 'deployment-overdue', requestId: event.aggregateId, deployDeadline: String(event.payload.deployDeadline) },
        { ...notificationJobOptions(this.config.webhook), jobId: jobIds.deploymentOverdue(event.aggregateId) },
      );
    });
    // A fixed address or a new secret may reach the member where the last one failed.
    this.subscribers.subscribe('MemberUpdated', async (event) => {
      const changes = (event.payload.changes ?? {}) as Record<string, unknown>;
      if ('webhookUrl' in changes) await this.dispatcher.dispatchUndelivered(event.aggregateId);
    });
    this.subscribers.subscribe('MemberWebhookSecretRotated', async (event) => {
      await this.dispatcher.dispatchUndelivered(event.aggregateId);
    });
  }

  /**
   * Requests that reached a step of their chain: one notice job per member and step, then the
   * people of each step alerted for all its requests at once (one alert per person). A retry of
   * the batch adds the same job ids (nothing) and gathers nothing twice.
   */
  private async onEscalated(events: RecordedDomainEvent[]): Promise<void> {
    const escalated = events.map((event) => ({ sequence: event.sequence, ...(event.payload as unknown as Escalation) }));
    await this.queueNotices(groupedBy(escalated, (e) => `${e.memberId} ${e.level}`).map((group) => {
      const [{ memberId, level }] = group;
      return {
        name: 'escalated',
        data: { kind: 'escalated' as const, memberId, level, requestIds: group.map((e) => e.requestId) },
        jobId: jobIds.escalated(memberId, level, group[0].sequence, group[group.length - 1].sequence),
      };
    }));
    for (const group of groupedBy(escalated.filter((e) => e.step?.contact?.id), (e) => String(e.level))) {
      await this.alerts.alert(group.map((e) => e.requestId), group[0].level, true);
    }
  }

  /** Requests stood down: one notice job per member, activation and cause. */
  private async onStoodDown(events: RecordedDomainEvent[]): Promise<void> {
    const stoodDown = events.map((event) => ({
      sequence: event.sequence, requestId: event.aggregateId,
      activationId: String(event.payload.activationId), memberId: String(event.payload.memberId), cause: String(event.payload.cause),
    }));
    await this.queueNotices(groupedBy(stoodDown, (e) => `${e.activationId} ${e.memberId} ${e.cause}`).map((group) => {
      const [{ activationId, memberId, cause }] = group;
      return {
        name: 'stood-down',
        data: { kind: 'stood-down' as const, activationId, memberId, cause, requestIds: group.map((e) => e.requestId) },
        jobId: jobIds.stoodDown(memberId, group[0].sequence, group[group.length - 1].sequence),
      };
    }));
  }

  private async queueNotices(jobs: { name: string; data: NotificationJob; jobId: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.notifications.addBulk(jobs.map(({ name, data, jobId }) => ({ name, data, opts: { ...notificationJobOptions(this.config.webhook), jobId } })));
  }
}

/** The items by key, each group in the items' order, the groups in the order of their first item. */
function groupedBy<T>(items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}
