import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import type { Queue } from 'bullmq';
import type { RecordedDomainEvent } from '../../audit/domain/domain-event.js';
import { DomainEventSubscribers } from '../../audit/relay/domain-event-subscribers.js';
import type { Escalation } from '../commands/system-commands.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { EscalationScheduler } from './escalation-scheduler.js';
import { jobIds, notificationJobOptions, NOTIFICATIONS_QUEUE, type NotificationJob } from './queues.js';

/**
 * Turns committed events into queued work, so that nothing depends on a process surviving
 * between a commit and an enqueue: authorization → deliveries; escalation → notice (and the
 * next escalation); stand-down → notice. The first escalation of each request is queued by
 * its delivery job, in bulk; the sweeper covers a crash in between.
 */
@Injectable()
export class CrisisSubscriptions implements OnModuleInit {
  constructor(
    private readonly subscribers: DomainEventSubscribers,
    private readonly dispatcher: DeliveryDispatcher,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly notifications: Queue<NotificationJob>,
    private readonly escalations: EscalationScheduler,
    @Inject(AppConfig) private readonly config: AppConfig,
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
  }

  private async onEscalated(event: RecordedDomainEvent): Promise<void> {
    const escalation = event.payload as unknown as Escalation;
    await this.notifications.add(
      'escalated',
      { kind: 'escalated', requestId: escalation.requestId, level: escalation.level, contact: escalation.contact },
      { ...notificationJobOptions(this.config.webhook), jobId: jobIds.escalated(escalation.requestId, escalation.level) },
    );
    if (escalation.furtherContacts) {
      const next = new Date(new Date(event.occurredAt).getTime() + escalation.ackWithinMinutes * 60_000).toISOString();
      await this.escalations.schedule([{ requestId: escalation.requestId, level: escalation.level + 1, at: next }]);
    }
  }
}
