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
import { EscalationScheduler } from './escalation-scheduler.js';
import { jobIds, notificationJobOptions, NOTIFICATIONS_QUEUE, type NotificationJob } from './queues.js';

/**
 * Turns committed events into queued work, so that nothing depends on a process surviving
 * between a commit and an enqueue: authorization → deliveries; escalation → notice and the
 * next step's deadline; stand-down → notice; acceptance → the deployment deadline; late
 * deployment → reminder; a member's webhook changed → its undelivered requests, again. The
 * first escalation of each request is queued by its delivery job, in bulk; the sweeper covers
 * a crash in between.
 */
@Injectable()
export class CrisisSubscriptions implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscribers: DomainEventSubscribers,
    private readonly dispatcher: DeliveryDispatcher,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly notifications: Queue<NotificationJob>,
    private readonly escalations: EscalationScheduler,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly alerts: AlertScheduler,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe('ActivationAuthorized', async (event) => {
      await this.dispatcher.dispatchPending(event.aggregateId);
    });
    this.subscribers.subscribe('MobilizationRequestEscalated', async (event) => this.onEscalated(event));
    this.subscribers.subscribe('MobilizationRequestStoodDown', async (event) => {
      await this.notifications.add(
        'stood-down',
        { kind: 'stood-down', requestId: event.aggregateId, cause: String(event.payload.cause) },
        { ...notificationJobOptions(this.config.webhook), jobId: jobIds.stoodDown(event.aggregateId) },
      );
    });
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

  private async onEscalated(event: RecordedDomainEvent): Promise<void> {
    const escalation = event.payload as unknown as Escalation;
    await this.notifications.add(
      'escalated',
      { kind: 'escalated', requestId: escalation.requestId, level: escalation.level, contact: escalation.contact, step: escalation.step },
      { ...notificationJobOptions(this.config.webhook), jobId: jobIds.escalated(escalation.requestId, escalation.level) },
    );
    // The person of the new step, alerted once for all the requests of the activation reaching it now.
    if (escalation.step?.contact?.id) await this.alerts.alert([escalation.requestId], escalation.level, true);
    if (escalation.nextDeadline) {
      await this.escalations.schedule([{ requestId: escalation.requestId, level: escalation.level + 1, at: escalation.nextDeadline }]);
    }
  }
}
