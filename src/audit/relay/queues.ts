import type { JobsOptions } from 'bullmq';
import type { RecordedDomainEvent } from '../domain/domain-event.js';

/** The queue the outbox relay fills with every committed domain event. */
export const DOMAIN_EVENTS_QUEUE = 'domain-events';

/** BullMQ job ids may not contain ':' nor be all digits. */
export function domainEventJobId(sequence: number): string {
  return `event-${sequence}`;
}

/** The events of one type a relay batch published together (DomainEventSubscribers.subscribeBatch), in sequence order. */
export interface DomainEventBatch {
  type: string;
  events: RecordedDomainEvent[];
}

/** A batch's id: the sequences of its first and last events (an event is in one batch). */
export function domainEventBatchJobId(events: RecordedDomainEvent[]): string {
  return `events-${events[0].sequence}-${events[events.length - 1].sequence}`;
}

export const DOMAIN_EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  // Completed jobs are kept a day so that a relay re-adding an event after a crash
  // finds the job id taken and adds nothing.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};
