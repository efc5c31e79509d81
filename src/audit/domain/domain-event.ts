/** A fact a command handler records, in the same transaction as the state change it describes. */
export interface NewDomainEvent {
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: Record<string, unknown>;
}

/** An event as recorded in the audit log and handed to the queues by the relay. */
export interface RecordedDomainEvent extends NewDomainEvent {
  sequence: number;
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorRole: string;
}
