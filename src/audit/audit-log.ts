import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ActorRef } from '../common/auth/role.js';
import { Clock } from '../common/time/clock.js';
import type { NewDomainEvent, RecordedDomainEvent } from './domain/domain-event.js';
import { chainHash, GENESIS_HASH, type StoredEvent } from './domain/hash-chain.js';

/** Fixed key of the transaction-level advisory lock that serializes appends to the chain. */
const AUDIT_CHAIN_LOCK = 7_310_742_002;

/**
 * The one way to record domain events. Appends join the caller's transaction, so an event
 * exists if and only if its state change committed; the lock, held until commit, keeps the
 * sequence gapless and in commit order, so the hash chain never forks.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async append(manager: EntityManager, actor: ActorRef, events: NewDomainEvent[]): Promise<RecordedDomainEvent[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLog.append must run inside the transaction of the state change it records');
    }
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [head] = await manager.query('SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1');

    let sequence = head ? Number(head.sequence) : 0;
    let prevHash: string = head ? head.hash : GENESIS_HASH;
    const occurredAt = this.clock.now();
    const stored: StoredEvent[] = events.map((event) => {
      sequence += 1;
      const fields = {
        sequence,
        id: randomUUID(),
        occurredAt,
        actorId: actor.id,
        actorRole: actor.role,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        type: event.type,
        payload: JSON.parse(JSON.stringify(event.payload)) as Record<string, unknown>,
      };
      const hash = chainHash(prevHash, fields);
      const row = { ...fields, prevHash, hash };
      prevHash = hash;
      return row;
    });

    await manager.query(
      `INSERT INTO audit_event (sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::jsonb[], $10::char(64)[], $11::char(64)[])`,
      [
        stored.map((e) => e.sequence),
        stored.map((e) => e.id),
        stored.map((e) => e.occurredAt.toISOString()),
        stored.map((e) => e.actorId),
        stored.map((e) => e.actorRole),
        stored.map((e) => e.aggregateType),
        stored.map((e) => e.aggregateId),
        stored.map((e) => e.type),
        stored.map((e) => JSON.stringify(e.payload)),
        stored.map((e) => e.prevHash),
        stored.map((e) => e.hash),
      ],
    );
    return stored.map(({ prevHash: _p, hash: _h, occurredAt: at, ...rest }) => ({ ...rest, occurredAt: at.toISOString() }));
  }
}
