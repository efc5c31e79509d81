import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ChannelHealth } from './channel-health.js';
import { ConfirmContactMethodHandler } from './commands/confirm-contact-method.js';
import { RequestContactVerificationHandler } from './commands/request-contact-verification.js';
import { SendTestAlertHandler } from './commands/send-test-alert.js';
import { ContactMethodsController } from './contact-methods.controller.js';
import { ChannelDeliveryProcessor } from './delivery/channel-delivery.processor.js';
import { ChannelOutbox } from './delivery/channel-outbox.js';
import { ChannelSenders } from './delivery/channel-senders.js';
import { ChannelSubscriptions } from './delivery/channel-subscriptions.js';
import { DeliveryRecords } from './delivery/delivery-records.js';
import { CHANNEL_DELIVERIES_QUEUE } from './delivery/queues.js';
import { EmailSender } from './email/email-sender.js';
import { SmppLink } from './sms/smpp-link.js';

const queues = BullModule.registerQueue({ name: CHANNEL_DELIVERIES_QUEUE });

/**
 * Email (SMTP) and SMS (SMPP) to people: the senders, the delivery records and their outbox, and
 * the verification of contacts' methods. The SMPP link opens only where workers run.
 */
@Module({
  imports: [AuditModule, queues],
  controllers: [ContactMethodsController],
  providers: [
    EmailSender, SmppLink, ChannelSenders, ChannelOutbox, DeliveryRecords, ChannelHealth,
    RequestContactVerificationHandler, ConfirmContactMethodHandler, SendTestAlertHandler,
  ],
  exports: [ChannelOutbox, ChannelSenders, ChannelHealth, DeliveryRecords, SmppLink, queues],
})
export class ChannelsModule {}

/** Delivery of queued messages, and the SMPP link with its receipts: only in processes that run workers. */
@Module({
  imports: [ChannelsModule, AuditModule],
  providers: [ChannelDeliveryProcessor, ChannelSubscriptions],
})
export class ChannelWorkersModule {}
