import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { chainHash, GENESIS_HASH, jsonbText, timestampText } from '../src/audit/domain/hash-chain.js';
import type { StoredEvent } from '../src/audit/persistence.js';
import { deliveryId } from '../src/crisis/notifications/webhook-signature.js';
import type { SeededActivation } from './seed-activation.js';

/** An event to seed: what AuditLog.append records but the sequence and id, which the append gives. */
export type SeedEvent = Omit<StoredEvent, 'sequence' | 'id' | 'prevHash' | 'hash'>;

async function insertEvents(db: pg.Client, batch: StoredEvent[]): Promise<void> {
  await db.query(
    `INSERT INTO audit_event (sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::jsonb[], $10::char(64)[], $11::char(64)[])`,
    [
      batch.map((e) => e.sequence),
      batch.map((e) => e.id),
      batch.map((e) => e.occurredAt.toISOString()),
      batch.map((e) => e.actorId),
      batch.map((e) => e.actorRole),
      batch.map((e) => e.aggregateType),
      batch.map((e) => e.aggregateId),
      batch.map((e) => e.type),
      batch.map((e) => JSON.stringify(e.payload)),
      batch.map((e) => e.prevHash),
      batch.map((e) => e.hash),
    ],
  );
}

/**
 * Appends the events after the log's current head, in batches of one INSERT ... SELECT FROM
 * unnest each, sealed exactly as the database seals what AuditLog.append records (chainHash over
 * the same texts), so that GET /audit/verify finds the whole log valid. AuditLog itself cannot serve:
 * it stamps every event with the clock's now, and the seed writes a history. Nothing else may
 * append meanwhile: the caller makes no change through the application until this is done, and
 * seals what the application recorded before (audit_seal_pending), so that it is in the head.
 */
export async function appendChained(db: pg.Client, events: Iterable<SeedEvent>, batchSize: number): Promise<{ appended: number; head: number }> {
  const [head] = (await db.query(`SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1`)).rows as { sequence: string; hash: string }[];
  let sequence = head ? Number(head.sequence) : 0;
  let prevHash = head ? head.hash : GENESIS_HASH;
  const first = sequence;

  // One batch is written while the next is hashed; each waits for the one before, so the
  // rows still arrive in sequence order.
  let written: Promise<unknown> = Promise.resolve();
  const write = async (batch: StoredEvent[]) => {
    await written;
    written = insertEvents(db, batch);
    written.catch(() => undefined);
  };

  let batch: StoredEvent[] = [];
  for (const event of events) {
    sequence += 1;
    const fields = { ...event, sequence, id: randomUUID() };
    const hash = chainHash(prevHash, { ...fields, occurredAt: timestampText(fields.occurredAt), payload: jsonbText(fields.payload) });
    batch.push({ ...fields, prevHash, hash });
    prevHash = hash;
    if (batch.length === batchSize) {
      await write(batch);
      batch = [];
    }
    // Hashing holds the event loop: let it hand the batch in flight to the socket now and then.
    if (sequence % 1_000 === 0) await new Promise(setImmediate);
  }
  if (batch.length > 0) await write(batch);
  await written;
  return { appended: sequence - first, head: sequence };
}

/** Two streams of events, each in time order, as one; on a tie the first stream's event comes first. */
export function* byTime(first: Iterable<SeedEvent>, second: Iterable<SeedEvent>): Generator<SeedEvent> {
  const a = first[Symbol.iterator]();
  const b = second[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.occurredAt.getTime() <= y.value.occurredAt.getTime())) {
      yield x.value as SeedEvent;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}

interface RegistryAsset {
  id: string;
  memberId: string;
  userId: string;
  leadTimeMinutes: number;
}

const LEAD_TIMES = [30, 60, 90, 120, 240, 480, 720, 1440, 2880];

/**
 * The registry's everyday activity, `count` events spread evenly over [from, to): members
 * attesting their assets' readiness (most of it), editing them, updating their own record.
 * Assets are visited in a scattered but fixed order; none of these events names an activation.
 */
export async function registryActivity(db: pg.Client): Promise<(count: number, from: Date, to: Date) => Generator<SeedEvent>> {
  const assets = (
    await db.query(
      `SELECT a.id, a.member_id AS "memberId", u.id AS "userId", a.lead_time_minutes AS "leadTimeMinutes"
       FROM asset a JOIN users u ON u.member_id = a.member_id ORDER BY a.id`,
    )
  ).rows as RegistryAsset[];
  if (assets.length === 0) throw new Error('registryActivity: no asset with a member user');

  return function* activity(count: number, from: Date, to: Date): Generator<SeedEvent> {
    const span = to.getTime() - from.getTime();
    for (let i = 0; i < count; i += 1) {
      // 7,919 is prime, so this visits every asset before any twice (for any count of assets not a multiple of it).
      const asset = assets[(i * 7_919) % assets.length];
      const occurredAt = new Date(from.getTime() + Math.floor((i * span) / count));
      const actor = { actorId: asset.userId, actorRole: 'MEMBER' };
      const version = 1 + (i % 23);
      if (i % 10 < 7) {
        yield { ...actor, occurredAt, aggregateType: 'Asset', aggregateId: asset.id, type: 'AssetReadinessAttested',
          payload: { memberId: asset.memberId, attestedAt: occurredAt.toISOString() } };
      } else if (i % 10 < 9) {
        const changes = { version, leadTimeMinutes: LEAD_TIMES[i % LEAD_TIMES.length] };
        yield { ...actor, occurredAt, aggregateType: 'Asset', aggregateId: asset.id, type: 'AssetUpdated',
          payload: { memberId: asset.memberId, changes, version: version + 1 } };
      } else {
        yield { ...actor, occurredAt, aggregateType: 'Member', aggregateId: asset.memberId, type: 'MemberUpdated',
          payload: { changes: ['webhookUrl'], version } };
      }
    }
  };
}

interface RequestRow {
  id: string;
  member_id: string;
  asset_id: string;
  requirement_id: string;
  convention_id: string;
  user_id: string;
  ack_within_minutes: number;
  escalation_level: number;
  accepted_quantity: number | null;
  decline_reason_code: string | null;
  decline_comment: string | null;
  notified_at: Date | null;
  acknowledged_at: Date | null;
  accepted_at: Date | null;
  declined_at: Date | null;
  deployed_at: Date | null;
  released_at: Date | null;
  stood_down_at: Date | null;
  delivery_attempts: number;
  delivery_failed_at: Date | null;
  delivery_error: string | null;
}

/** What happened, in the order the handlers record it when several steps share one instant. */
const STEPS = [
  'CrisisOpened', 'ActivationPrepared', 'ActivationAuthorized', 'MobilizationRequested', 'ActivationInProgress',
  'MobilizationRequestNotified', 'MobilizationRequestDeliveryFailed', 'MobilizationRequestEscalated', 'MobilizationRequestAcknowledged',
  'MobilizationRequestAccepted', 'ActivationRequirementMet', 'MobilizationRequestStoodDown', 'MobilizationRequestDeclined',
  'MobilizationRequestDeployed', 'MobilizationRequestReleased',
] as const;
type StepType = (typeof STEPS)[number];
const RANK = Object.fromEntries(STEPS.map((type, rank) => [type, rank])) as Record<StepType, number>;

/** One event of the thread before it is written out: `ref` is a request's index, or a requirement's for ActivationRequirementMet. */
interface Step {
  at: number;
  type: StepType;
  ref: number;
  level: number;
}

export interface ActivationThread {
  count: number;
  events: () => Generator<SeedEvent>;
}

const MINUTE_MS = 60_000;

/**
 * The activation's thread as the handlers would have recorded it, read back from the seeded
 * rows: the crisis opened (T0), the activation prepared and authorized (with one
 * MobilizationRequested per request, in the same transaction), then each request's steps at
 * its recorded times. Held as small steps sorted by time; events are built as they are written.
 */
export async function activationThread(db: pg.Client, seeded: SeededActivation): Promise<ActivationThread> {
  const { crisis, activation, requirements } = seeded;
  const requests = (
    await db.query(
      `SELECT q.*, u.id AS user_id FROM mobilization_request q JOIN users u ON u.member_id = q.member_id
       WHERE q.activation_id = $1 ORDER BY q.member_id, q.id`,
      [activation.id],
    )
  ).rows as RequestRow[];

  const steps: Step[] = [];
  const add = (at: Date | number, type: StepType, ref = -1, level = 0) => steps.push({ at: typeof at === 'number' ? at : at.getTime(), type, ref, level });
  add(crisis.openedAt, 'CrisisOpened');
  add(activation.preparedAt, 'ActivationPrepared');
  add(activation.authorizedAt, 'ActivationAuthorized');
  let firstNotified = Infinity;
  requests.forEach((r, i) => {
    add(activation.authorizedAt, 'MobilizationRequested', i);
    if (r.delivery_failed_at) add(r.delivery_failed_at, 'MobilizationRequestDeliveryFailed', i);
    if (r.notified_at) {
      firstNotified = Math.min(firstNotified, r.notified_at.getTime());
      add(r.notified_at, 'MobilizationRequestNotified', i);
      for (let level = 1; level <= r.escalation_level; level += 1) {
        add(r.notified_at.getTime() + level * r.ack_within_minutes * MINUTE_MS, 'MobilizationRequestEscalated', i, level);
      }
    }
    // A decline without an acknowledgement first acknowledges in the same step: one event.
    if (r.acknowledged_at && r.acknowledged_at.getTime() !== r.declined_at?.getTime()) add(r.acknowledged_at, 'MobilizationRequestAcknowledged', i);
    if (r.accepted_at) add(r.accepted_at, 'MobilizationRequestAccepted', i);
    if (r.declined_at) add(r.declined_at, 'MobilizationRequestDeclined', i);
    if (r.deployed_at) add(r.deployed_at, 'MobilizationRequestDeployed', i);
    if (r.released_at) add(r.released_at, 'MobilizationRequestReleased', i);
    if (r.stood_down_at) add(r.stood_down_at, 'MobilizationRequestStoodDown', i);
  });
  if (firstNotified < Infinity) add(firstNotified, 'ActivationInProgress');
  requirements.forEach((requirement, i) => requirement.metAt && add(requirement.metAt, 'ActivationRequirementMet', i));
  steps.sort((a, b) => a.at - b.at || RANK[a.type] - RANK[b.type] || a.ref - b.ref);

  // The accept that met a requirement stands the others down in its own transaction, under its member's name.
  const meetingAccept = new Map<string, RequestRow>();
  for (const requirement of requirements) {
    const accept = requirement.metAt && requests.find((r) => r.requirement_id === requirement.id && r.accepted_at?.getTime() === requirement.metAt!.getTime());
    if (accept) meetingAccept.set(requirement.id, accept);
  }
  const stoodDownBy = new Map<string, number>();
  for (const r of requests) if (r.stood_down_at) stoodDownBy.set(r.requirement_id, (stoodDownBy.get(r.requirement_id) ?? 0) + 1);

  const system = { actorId: null, actorRole: 'SYSTEM' };
  const operator = { actorId: activation.preparedBy, actorRole: 'CRISIS_OPERATOR' };
  const minister = { actorId: activation.authorizedBy, actorRole: 'MINISTER' };
  const memberOf = (r: RequestRow) => ({ actorId: r.user_id, actorRole: 'MEMBER' });
  const iso = (at: number) => new Date(at).toISOString();
  const requirementRecord = (r: (typeof requirements)[number]) => ({
    id: r.id, position: r.position, category: r.category, quantity: r.quantity, departements: r.departements,
    neededBy: r.neededBy.toISOString(), acceptedQuantity: 0, metAt: null,
  });

  function event(step: Step): SeedEvent {
    const occurredAt = new Date(step.at);
    const onActivation = { occurredAt, aggregateType: 'Activation', aggregateId: activation.id, type: step.type };
    switch (step.type) {
      case 'CrisisOpened':
        return { ...operator, occurredAt, aggregateType: 'Crisis', aggregateId: crisis.id, type: step.type, payload: { ...crisis.toView() } };
      case 'ActivationPrepared':
        return {
          ...operator, ...onActivation,
          payload: {
            id: activation.id, crisisId: crisis.id, decisionReference: activation.decisionReference, status: 'PENDING_AUTHORIZATION',
            preparedBy: activation.preparedBy, preparedAt: activation.preparedAt.toISOString(), authorizedBy: null, authorizedAt: null,
            endedBy: null, endedAt: null, endReason: null, fulfilledAt: null, requestCount: 0, requirements: requirements.map(requirementRecord),
          },
        };
      case 'ActivationAuthorized':
        return {
          ...minister, ...onActivation,
          payload: { crisisId: crisis.id, exercise: crisis.exercise, requestCount: requests.length, authorizedAt: activation.authorizedAt.toISOString() },
        };
      case 'ActivationInProgress':
        return { ...system, ...onActivation, payload: { at: occurredAt.toISOString() } };
      case 'ActivationRequirementMet': {
        const requirement = requirements[step.ref];
        return {
          ...memberOf(meetingAccept.get(requirement.id)!), ...onActivation,
          payload: { requirementId: requirement.id, quantity: requirement.quantity, metAt: occurredAt.toISOString(), stoodDown: stoodDownBy.get(requirement.id) ?? 0 },
        };
      }
      default:
        return requestEvent(step, occurredAt);
    }
  }

  function requestEvent(step: Step, occurredAt: Date): SeedEvent {
    const r = requests[step.ref];
    const onRequest = { occurredAt, aggregateType: 'MobilizationRequest', aggregateId: r.id, type: step.type };
    const base = { activationId: activation.id, requirementId: r.requirement_id, memberId: r.member_id, assetId: r.asset_id };
    const ackWithin = r.ack_within_minutes * MINUTE_MS;
    const beforeAcknowledging = r.escalation_level > 0 ? 'ESCALATED' : 'NOTIFIED';
    switch (step.type) {
      case 'MobilizationRequested':
        return {
          ...minister, ...onRequest,
          payload: { ...base, conventionId: r.convention_id, ackDeadline: iso(activation.authorizedAt.getTime() + ackWithin) },
        };
      case 'MobilizationRequestNotified':
        return {
          ...system, ...onRequest,
          payload: {
            activationId: activation.id, memberId: r.member_id, deliveryId: deliveryId('requested', activation.id, r.member_id),
            channel: 'webhook', ackDeadline: iso(step.at + ackWithin),
          },
        };
      case 'MobilizationRequestDeliveryFailed':
        return {
          ...system, ...onRequest,
          payload: {
            activationId: activation.id, memberId: r.member_id, deliveryId: deliveryId('requested', activation.id, r.member_id),
            attempts: r.delivery_attempts, error: r.delivery_error,
          },
        };
      case 'MobilizationRequestEscalated':
        return {
          ...system, ...onRequest,
          payload: {
            requestId: r.id, activationId: activation.id, memberId: r.member_id, level: step.level, contact: null,
            furtherContacts: false, ackWithinMinutes: r.ack_within_minutes,
          },
        };
      case 'MobilizationRequestAcknowledged':
        return { ...memberOf(r), ...onRequest, payload: { ...base, from: beforeAcknowledging, to: 'ACKNOWLEDGED' } };
      case 'MobilizationRequestAccepted':
        return { ...memberOf(r), ...onRequest, payload: { ...base, from: 'ACKNOWLEDGED', to: 'ACCEPTED', quantity: r.accepted_quantity } };
      case 'MobilizationRequestDeclined': {
        const from = r.acknowledged_at?.getTime() === r.declined_at?.getTime() ? beforeAcknowledging : 'ACKNOWLEDGED';
        return {
          ...memberOf(r), ...onRequest,
          payload: { ...base, from, to: 'DECLINED', reasonCode: r.decline_reason_code, comment: r.decline_comment },
        };
      }
      case 'MobilizationRequestDeployed':
        return { ...memberOf(r), ...onRequest, payload: { ...base, from: 'ACCEPTED', to: 'DEPLOYED', arrivedAt: occurredAt.toISOString() } };
      case 'MobilizationRequestReleased':
        return { ...memberOf(r), ...onRequest, payload: { ...base, from: 'DEPLOYED', to: 'RELEASED' } };
      case 'MobilizationRequestStoodDown':
        return { ...memberOf(meetingAccept.get(r.requirement_id)!), ...onRequest, payload: { ...base, cause: 'requirement met' } };
      default:
        throw new Error(`activationThread: no event for ${step.type}`);
    }
  }

  return {
    count: steps.length,
    events: function* () {
      for (const step of steps) yield event(step);
    },
  };
}
