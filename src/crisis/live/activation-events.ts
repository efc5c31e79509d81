/** One committed event of an activation, as its live stream sends it: the SSE message, formatted once for every stream. */
export interface LiveEvent {
  sequence: number;
  activationId: string;
  /** `id:`, `event:` and `data:` lines and the blank line that ends an SSE message. */
  message: string;
}

/** The JSON of an event's `data:` line. */
export interface ActivationEventData {
  sequence: number;
  type: string;
  occurredAt: string;
  activationId: string;
  aggregateType: string;
  aggregateId: string;
  requestId: string | null;
  memberId: string | null;
  memberName: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
}

/**
 * The events that concern an activation: its own (aggregate_id) and those of its requests (their
 * payload names it: escalations, deliveries, answers, stand-downs...), each with the member it
 * concerns by name. Both tests are served by an index with the sequence (audit_event_aggregate_idx,
 * audit_event_activation_idx).
 */
const EVENTS_OF = (activations: string) => `
  SELECT e.sequence, e.occurred_at, e.type, e.aggregate_type, e.aggregate_id, e.actor_role, e.payload,
         CASE WHEN e.aggregate_type = 'Activation' THEN e.aggregate_id ELSE e.payload->>'activationId' END AS activation_id,
         m.id AS member_id, m.legal_name AS member_name
  FROM audit_event e
  LEFT JOIN member m ON m.id = CASE WHEN e.payload->>'memberId' ~ '^[0-9a-fA-F-]{36}$' THEN (e.payload->>'memberId')::uuid END
  WHERE (e.aggregate_id ${activations} OR (e.payload ? 'activationId' AND e.payload->>'activationId' ${activations}))`;

/** $1 the activation, $2 the sequence after which to read, $3 how many. */
export const EVENTS_OF_ACTIVATION = `${EVENTS_OF('= $1')} AND e.sequence > $2 ORDER BY e.sequence LIMIT $3`;

/** $1 the activations, $2 the sequence after which to read, $3 the last sequence to read, $4 how many. */
export const EVENTS_OF_ACTIVATIONS = `${EVENTS_OF('= ANY($1::text[])')} AND e.sequence > $2 AND e.sequence <= $3 ORDER BY e.sequence LIMIT $4`;

/** How many events one read holds at most (a replay or a live batch reads in pages). */
export const EVENT_PAGE = 2000;

export function eventDataOf(row: Record<string, any>): ActivationEventData {
  return {
    sequence: Number(row.sequence),
    type: row.type,
    occurredAt: (row.occurred_at as Date).toISOString(),
    activationId: row.activation_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    requestId: row.aggregate_type === 'MobilizationRequest' ? row.aggregate_id : null,
    memberId: row.member_id ?? null,
    memberName: row.member_name ?? null,
    actorRole: row.actor_role,
    payload: row.payload,
  };
}

export function liveEventOf(row: Record<string, any>): LiveEvent {
  const data = eventDataOf(row);
  // JSON.stringify escapes line breaks: the data is one line, as SSE needs.
  return { sequence: data.sequence, activationId: data.activationId, message: `id: ${data.sequence}\nevent: ${data.type}\ndata: ${JSON.stringify(data)}\n\n` };
}
