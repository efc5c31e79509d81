import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.js';
import { GetAuditHeadHandler } from './queries/get-audit-head.js';
import { ListAuditEventsHandler } from './queries/list-audit-events.js';
import { VerifyAuditChainHandler } from './queries/verify-audit-chain.js';
import { DomainEventSubscribers } from './relay/domain-event-subscribers.js';
import { DomainEventsProcessor } from './relay/domain-events.processor.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { DOMAIN_EVENTS_QUEUE } from './relay/queues.js';

const queryHandlers = [ListAuditEventsHandler, VerifyAuditChainHandler, GetAuditHeadHandler];

@Module({
  imports: [BullModule.registerQueue({ name: DOMAIN_EVENTS_QUEUE })],
  controllers: [AuditController],
  providers: [AuditLog, DomainEventSubscribers, ...queryHandlers],
  exports: [AuditLog, DomainEventSubscribers, BullModule],
})
export class AuditModule {}

/** The relay and the domain-events processor: only in processes that run workers. */
@Module({
  imports: [AuditModule],
  providers: [OutboxRelay, DomainEventsProcessor],
  exports: [OutboxRelay],
})
export class AuditWorkersModule {}
