import { Processor } from '@nestjs/bullmq';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import type { Job } from 'bullmq';
import type { RecordedDomainEvent } from '../domain/domain-event.js';
import { DomainEventSubscribers } from './domain-event-subscribers.js';
import { type DomainEventBatch, DOMAIN_EVENTS_QUEUE } from './queues.js';

/** Hands each committed domain event, or batch of events of one type, to the contexts that subscribed to its type. */
@Processor(DOMAIN_EVENTS_QUEUE, { concurrency: 20, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class DomainEventsProcessor extends LoggedWorkerHost {
  constructor(private readonly subscribers: DomainEventSubscribers) {
    super();
  }

  async process(job: Job<RecordedDomainEvent | DomainEventBatch>): Promise<{ subscribers: number }> {
    const data = job.data;
    if ('events' in data) return { subscribers: await this.subscribers.dispatchBatch(data.type, data.events) };
    return { subscribers: await this.subscribers.dispatch(data) };
  }
}
