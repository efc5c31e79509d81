import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ActorRef } from '../common/auth/role.js';
import type { Statement } from '../common/database/pipelined-transaction.js';
import { Clock } from '../common/time/clock.js';
import type { NewDomainEvent } from './domain/domain-event.js';
import { RECORD_EVENTS } from './persistence.js';

/**
 * The one way to record domain events. Appends join the caller's transaction, so an event
 * exists if and only if its state change committed. They are recorded as pending, in the
 * order given, and sealed into the hash chain soon after by `sealPendingEvents()` (the relay
 * seals before it publishes, readers of the log before they read): no command waits for the
 * chain. Answers the ids of the recorded events.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async append(manager: EntityManager, actor: ActorRef, events: NewDomainEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLog.append must run inside the transaction of the state change it records');
    }
    const { ids, statement: [sql, params] } = this.appendStatement(actor, events);
    await manager.query(sql, params as unknown[]);
    return ids;
  }

  /** The INSERT that records the events, for a command that sends its statements itself (a pipelined transaction). */
  appendStatement(actor: ActorRef, events: NewDomainEvent[]): { ids: string[]; statement: Statement } {
    const ids = events.map(() => randomUUID());
    return {
      ids,
      statement: [
        `${RECORD_EVENTS}
         SELECT id, $2::timestamptz, $3::uuid, $4, aggregate_type, aggregate_id, type, payload
         FROM unnest($1::uuid[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, type, payload, n)
         ORDER BY n`,
        [
          ids,
          this.clock.now().toISOString(),
          actor.id,
          actor.role,
          events.map((e) => e.aggregateType),
          events.map((e) => e.aggregateId),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.payload)),
        ],
      ],
    };
  }
}
