import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.js';
import { AuditSigningKey } from './checkpoints/audit-signing-key.js';
import { CheckpointStore } from './checkpoints/checkpoint-store.js';
import { CreateAuditCheckpointHandler } from './commands/create-audit-checkpoint.js';
import { AUDIT_CHECKPOINT_QUEUE, AuditCheckpointProcessor, AuditCheckpointScheduler } from './jobs/audit-checkpoint.processor.js';
import { ExportAuditLogHandler } from './queries/export-audit-log.js';
import { ListAuditCheckpointsHandler } from './queries/list-audit-checkpoints.js';
import { GetAuditHeadHandler } from './queries/get-audit-head.js';
import { ListAuditEventsHandler } from './queries/list-audit-events.js';
import { VerifyAuditChainHandler } from './queries/verify-audit-chain.js';
import { DomainEventSubscribers } from './relay/domain-event-subscribers.js';
import { DomainEventsProcessor } from './relay/domain-events.processor.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { DOMAIN_EVENTS_QUEUE } from './relay/queues.js';

const queryHandlers = [ListAuditEventsHandler, VerifyAuditChainHandler, GetAuditHeadHandler, ListAuditCheckpointsHandler, ExportAuditLogHandler];

@Module({
  imports: [BullModule.registerQueue({ name: DOMAIN_EVENTS_QUEUE })],
  controllers: [AuditController],
  providers: [AuditLog, DomainEventSubscribers, AuditSigningKey, CheckpointStore, CreateAuditCheckpointHandler, ...queryHandlers],
  exports: [AuditLog, DomainEventSubscribers, BullModule],
})
export class AuditModule {}

/** The relay, the domain-events processor and the checkpoint schedule: only in processes that run workers. */
@Module({
  imports: [AuditModule, BullModule.registerQueue({ name: AUDIT_CHECKPOINT_QUEUE })],
  providers: [OutboxRelay, DomainEventsProcessor, AuditCheckpointProcessor, AuditCheckpointScheduler],
  exports: [OutboxRelay],
})
export class AuditWorkersModule {}
