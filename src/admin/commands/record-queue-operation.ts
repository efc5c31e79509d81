import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';

/** One write an ADMIN makes through the queue dashboard, as the router matched it. */
export interface QueueOperation {
  /** The operation's name, e.g. `retry`, `clean`, `pause`, `obliterate`. */
  operation: string;
  method: string;
  /** The dashboard route as declared, e.g. `/api/queues/:queueName/:jobId/retry`. */
  route: string;
  queueName: string | null;
  jobId: string | null;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export class RecordQueueOperationCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly operation: QueueOperation,
  ) {
    super();
  }
}

/**
 * Records a queue operation before the dashboard carries it out: queues live outside the
 * database, so no transaction can hold both; recording first means nothing is done to a queue
 * that the audit log does not show, and a refused or failed operation still leaves its trace.
 */
@CommandHandler(RecordQueueOperationCommand)
export class RecordQueueOperationHandler implements ICommandHandler<RecordQueueOperationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async execute({ actor, operation }: RecordQueueOperationCommand): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'Queue',
          aggregateId: operation.queueName ?? 'all-queues',
          type: 'QueueOperatedFromDashboard',
          payload: { ...operation },
        },
      ]);
    });
  }
}
