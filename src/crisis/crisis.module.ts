import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ChannelsModule } from '../channels/channels.module.js';
import { AnswerByMessageHandler } from './answers-by-message/answer-by-message.js';
import { AnswerLinksController } from './answers-by-message/answer-links.controller.js';
import { SmsReplies } from './answers-by-message/sms-replies.js';
import { AuthorizeActivationHandler, EndActivationHandler, PrepareActivationHandler } from './commands/activation-commands.js';
import { CloseCrisisHandler, OpenCrisisHandler } from './commands/crisis-commands.js';
import { EscalateDueRequestsHandler } from './commands/escalate-due-requests.js';
import { RespondToRequestHandler } from './commands/respond-to-request.js';
import { FlagLateDeploymentHandler, RecordDeliveryFailureHandler, RecordNotificationHandler } from './commands/system-commands.js';
import { CrisisController } from './crisis.controller.js';
import { ActivationEventHub } from './live/activation-event-hub.js';
import { GetActivationBoardHandler } from './live/activation-board.js';
import { ActivationLiveController } from './live/activation-live.controller.js';
import { AlertProcessor } from './notifications/alert.processor.js';
import { AlertScheduler } from './notifications/alert-scheduler.js';
import { ComposeAlertHandler } from './notifications/compose-alert.js';
import { CrisisSubscriptions } from './notifications/crisis-subscriptions.js';
import { GatherAlertsHandler } from './notifications/gather-alerts.js';
import { DeliveryDispatcher } from './notifications/delivery-dispatcher.js';
import { NotificationProcessor } from './notifications/notification.processor.js';
import { NotificationSweeper, NotificationSweepProcessor, NotificationSweepScheduler } from './notifications/notification-sweeper.js';
import { ALERTS_QUEUE, NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE } from './notifications/queues.js';
import { WebhookClient } from './notifications/webhook-client.js';
import { WebhookDeliveryLog } from './notifications/webhook-delivery-log.js';
import {
  GetActivationHandler, GetCrisisHandler, GetMobilizationHandler, ListCrisesHandler, ListMobilizationsHandler, PreviewActivationHandler,
} from './queries/crisis-queries.js';
import { ListWebhookDeliveriesHandler } from './queries/webhook-deliveries.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';

const commandHandlers = [
  OpenCrisisHandler, CloseCrisisHandler, PrepareActivationHandler, AuthorizeActivationHandler, EndActivationHandler, RespondToRequestHandler,
  RecordNotificationHandler, RecordDeliveryFailureHandler, EscalateDueRequestsHandler, FlagLateDeploymentHandler,
  GatherAlertsHandler, ComposeAlertHandler, AnswerByMessageHandler,
];
const queryHandlers = [
  ListCrisesHandler, GetCrisisHandler, GetActivationHandler, PreviewActivationHandler, ListMobilizationsHandler, GetMobilizationHandler,
  ListWebhookDeliveriesHandler,
];
const queues = BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE }, { name: NOTIFICATION_SWEEPS_QUEUE }, { name: ALERTS_QUEUE });

/** Crises, activations, mobilization requests and member responses. */
@Module({
  imports: [AuditModule, ChannelsModule, queues],
  controllers: [CrisisController, AnswerLinksController, ActivationLiveController, WebhookDeliveriesController],
  providers: [...commandHandlers, ...queryHandlers, DeliveryDispatcher, NotificationSweeper, ActivationEventHub, GetActivationBoardHandler],
  exports: [DeliveryDispatcher, NotificationSweeper, queues],
})
export class CrisisModule {}

/** Deliveries, escalations and the sweeper: only in processes that run workers. */
@Module({
  imports: [CrisisModule, AuditModule, ChannelsModule],
  providers: [AlertScheduler, AlertProcessor, SmsReplies, WebhookClient, WebhookDeliveryLog, NotificationProcessor, NotificationSweepProcessor, NotificationSweepScheduler, CrisisSubscriptions],
})
export class CrisisWorkersModule {}
