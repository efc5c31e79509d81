import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthorizeActivationHandler, EndActivationHandler, PrepareActivationHandler } from './commands/activation-commands.js';
import { CloseCrisisHandler, OpenCrisisHandler } from './commands/crisis-commands.js';
import { RespondToRequestHandler } from './commands/respond-to-request.js';
import {
  EscalateRequestHandler, FlagLateDeploymentHandler, RecordDeliveryFailureHandler, RecordNotificationHandler,
} from './commands/system-commands.js';
import { CrisisController } from './crisis.controller.js';
import { CrisisSubscriptions } from './notifications/crisis-subscriptions.js';
import { DeliveryDispatcher } from './notifications/delivery-dispatcher.js';
import { EscalationProcessor } from './notifications/escalation.processor.js';
import { EscalationScheduler } from './notifications/escalation-scheduler.js';
import { NotificationProcessor } from './notifications/notification.processor.js';
import { NotificationSweeper, NotificationSweepProcessor, NotificationSweepScheduler } from './notifications/notification-sweeper.js';
import { ESCALATIONS_QUEUE, NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE } from './notifications/queues.js';
import { WebhookClient } from './notifications/webhook-client.js';
import {
  GetActivationHandler, GetCrisisHandler, GetMobilizationHandler, ListCrisesHandler, ListMobilizationsHandler, PreviewActivationHandler,
} from './queries/crisis-queries.js';

const commandHandlers = [
  OpenCrisisHandler, CloseCrisisHandler, PrepareActivationHandler, AuthorizeActivationHandler, EndActivationHandler, RespondToRequestHandler,
  RecordNotificationHandler, RecordDeliveryFailureHandler, EscalateRequestHandler, FlagLateDeploymentHandler,
];
const queryHandlers = [
  ListCrisesHandler, GetCrisisHandler, GetActivationHandler, PreviewActivationHandler, ListMobilizationsHandler, GetMobilizationHandler,
];
const queues = BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE }, { name: ESCALATIONS_QUEUE }, { name: NOTIFICATION_SWEEPS_QUEUE });

/** Crises, activations, mobilization requests and member responses. */
@Module({
  imports: [AuditModule, queues],
  controllers: [CrisisController],
  providers: [...commandHandlers, ...queryHandlers, DeliveryDispatcher, NotificationSweeper],
  exports: [DeliveryDispatcher, NotificationSweeper, queues],
})
export class CrisisModule {}

/** Deliveries, escalations and the sweeper: only in processes that run workers. */
@Module({
  imports: [CrisisModule, AuditModule],
  providers: [WebhookClient, EscalationScheduler, NotificationProcessor, EscalationProcessor, NotificationSweepProcessor, NotificationSweepScheduler, CrisisSubscriptions],
})
export class CrisisWorkersModule {}
