import { Injectable, Logger } from '@nestjs/common';
import type { RecordedDomainEvent } from '../domain/domain-event.js';

export type DomainEventSubscriber = (event: RecordedDomainEvent) => Promise<void>;

/**
 * Where contexts subscribe to committed domain events. Delivery is at least once: a
 * subscriber must be idempotent (deterministic job ids, state checks).
 */
@Injectable()
export class DomainEventSubscribers {
  private readonly logger = new Logger(DomainEventSubscribers.name);
  private readonly byType = new Map<string, DomainEventSubscriber[]>();

  /** Subscribes to one event type, or to every type with '*'. */
  subscribe(type: string, subscriber: DomainEventSubscriber): () => void {
    const list = this.byType.get(type) ?? [];
    list.push(subscriber);
    this.byType.set(type, list);
    return () => this.byType.set(type, (this.byType.get(type) ?? []).filter((s) => s !== subscriber));
  }

  /** Whether an event of this type has anyone to go to. */
  wants(type: string): boolean {
    return (this.byType.get(type)?.length ?? 0) > 0 || (this.byType.get('*')?.length ?? 0) > 0;
  }

  async dispatch(event: RecordedDomainEvent): Promise<number> {
    const subscribers = [...(this.byType.get(event.type) ?? []), ...(this.byType.get('*') ?? [])];
    for (const subscriber of subscribers) await subscriber(event);
    if (subscribers.length > 0) this.logger.debug(`DomainEventSubscribers: ${event.type} #${event.sequence} to ${subscribers.length}`);
    return subscribers.length;
  }
}
