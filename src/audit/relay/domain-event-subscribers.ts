import { Injectable, Logger } from '@nestjs/common';
import type { RecordedDomainEvent } from '../domain/domain-event.js';

export type DomainEventSubscriber = (event: RecordedDomainEvent) => Promise<void>;

/** Takes the events of one type a relay batch holds, in sequence order, at once. */
export type DomainEventBatchSubscriber = (events: RecordedDomainEvent[]) => Promise<void>;

/**
 * Where contexts subscribe to committed domain events. Delivery is at least once: a
 * subscriber must be idempotent (deterministic job ids, state checks).
 */
@Injectable()
export class DomainEventSubscribers {
  private readonly logger = new Logger(DomainEventSubscribers.name);
  private readonly byType = new Map<string, DomainEventSubscriber[]>();
  private readonly batchesByType = new Map<string, DomainEventBatchSubscriber[]>();

  /** Subscribes to one event type, or to every type with '*'. */
  subscribe(type: string, subscriber: DomainEventSubscriber): () => void {
    return this.add(this.byType, type, subscriber);
  }

  /**
   * Subscribes to one event type in batches: the relay queues the events of that type it
   * publishes together as one job, not one job per event. For types recorded by the thousand
   * at once (a sweep's escalations, an activation's stand-downs), whose work is set-based too.
   */
  subscribeBatch(type: string, subscriber: DomainEventBatchSubscriber): () => void {
    return this.add(this.batchesByType, type, subscriber);
  }

  /** Whether an event of this type has anyone to go to. */
  wants(type: string): boolean {
    return (this.byType.get(type)?.length ?? 0) > 0 || (this.byType.get('*')?.length ?? 0) > 0 || this.batched(type);
  }

  /** Whether the events of this type are published in batches. */
  batched(type: string): boolean {
    return (this.batchesByType.get(type)?.length ?? 0) > 0;
  }

  async dispatch(event: RecordedDomainEvent): Promise<number> {
    const subscribers = [...(this.byType.get(event.type) ?? []), ...(this.byType.get('*') ?? [])];
    for (const subscriber of subscribers) await subscriber(event);
    if (subscribers.length > 0) this.logger.debug(`DomainEventSubscribers: ${event.type} #${event.sequence} to ${subscribers.length}`);
    return subscribers.length;
  }

  /** A batch of events of one type: to its batch subscribers at once, to the others one by one. */
  async dispatchBatch(type: string, events: RecordedDomainEvent[]): Promise<number> {
    const subscribers = this.batchesByType.get(type) ?? [];
    for (const subscriber of subscribers) await subscriber(events);
    if (subscribers.length > 0) this.logger.debug(`DomainEventSubscribers: ${events.length} ${type} to ${subscribers.length} in one batch`);
    let oneByOne = 0;
    for (const event of events) oneByOne = await this.dispatch(event);
    return subscribers.length + oneByOne;
  }

  private add<S>(registry: Map<string, S[]>, type: string, subscriber: S): () => void {
    registry.set(type, [...(registry.get(type) ?? []), subscriber]);
    return () => registry.set(type, (registry.get(type) ?? []).filter((s) => s !== subscriber));
  }
}
