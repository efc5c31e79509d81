import { EntitySchema, type EntityManager } from 'typeorm';
import type { ActivationStatus } from '../domain/activation.js';
import { Crisis } from '../domain/crisis.js';
import { ActivationNotFoundError } from '../domain/crisis.errors.js';
import { REQUEST_LIFECYCLE, type RequestStatus } from '../domain/mobilization-request.js';

export const CrisisSchema = new EntitySchema<Crisis>({
  name: 'Crisis',
  target: Crisis,
  tableName: 'crisis',
  columns: {
    id: { type: 'uuid', primary: true },
    title: { type: 'text' },
    type: { type: 'text' },
    departements: { type: 'text', array: true },
    severity: { type: 'smallint' },
    exercise: { type: 'boolean' },
    status: { type: 'text' },
    openedAt: { type: 'timestamptz', name: 'opened_at' },
    openedBy: { type: 'uuid', name: 'opened_by' },
    closedAt: { type: 'timestamptz', name: 'closed_at', nullable: true },
    closedBy: { type: 'uuid', name: 'closed_by', nullable: true },
  },
});

export interface RequirementRecord {
  id: string;
  position: number;
  category: string;
  quantity: number;
  departements: string[];
  neededBy: string | null;
  acceptedQuantity: number;
  metAt: string | null;
}

export interface ActivationRecord {
  id: string;
  crisisId: string;
  decisionReference: string;
  status: ActivationStatus;
  preparedBy: string;
  preparedAt: string;
  authorizedBy: string | null;
  authorizedAt: string | null;
  endedBy: string | null;
  endedAt: string | null;
  endReason: string | null;
  fulfilledAt: string | null;
  requestCount: number;
  requirements: RequirementRecord[];
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Loads an activation and its requirements; with `lock`, the activation row is locked for update. */
export async function loadActivation(manager: EntityManager, id: string, lock = false): Promise<ActivationRecord> {
  const [row] = await manager.query(`SELECT * FROM activation WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  if (!row) throw new ActivationNotFoundError(id);
  const requirements = await manager.query(`SELECT * FROM activation_requirement WHERE activation_id = $1 ORDER BY position`, [id]);
  return {
    id: row.id,
    crisisId: row.crisis_id,
    decisionReference: row.decision_reference,
    status: row.status,
    preparedBy: row.prepared_by,
    preparedAt: row.prepared_at.toISOString(),
    authorizedBy: row.authorized_by,
    authorizedAt: iso(row.authorized_at),
    endedBy: row.ended_by,
    endedAt: iso(row.ended_at),
    endReason: row.end_reason,
    fulfilledAt: iso(row.fulfilled_at),
    requestCount: row.request_count,
    requirements: requirements.map((r: Record<string, any>) => ({
      id: r.id,
      position: r.position,
      category: r.category,
      quantity: r.quantity,
      departements: r.departements,
      neededBy: iso(r.needed_by),
      acceptedQuantity: r.accepted_quantity,
      metAt: iso(r.met_at),
    })),
  };
}

export interface MobilizationRequestRecord {
  id: string;
  activationId: string;
  requirementId: string;
  assetId: string;
  memberId: string;
  conventionId: string;
  status: RequestStatus;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
  /** Null past the last step of the escalation chain. */
  ackDeadline: string | null;
  escalationLevel: number;
  acceptedQuantity: number | null;
  declineReasonCode: string | null;
  declineComment: string | null;
  notifiedAt: string | null;
  acknowledgedAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  deployedAt: string | null;
  releasedAt: string | null;
  stoodDownAt: string | null;
  lastEscalatedAt: string | null;
  deliveryAttempts: number;
  deliveryFailedAt: string | null;
  deliveryError: string | null;
  deliveryStartedAt: string | null;
  chainExhaustedAt: string | null;
  deployDeadline: string | null;
  deploymentLateAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toRequestRecord(r: Record<string, any>): MobilizationRequestRecord {
  return {
    id: r.id,
    activationId: r.activation_id,
    requirementId: r.requirement_id,
    assetId: r.asset_id,
    memberId: r.member_id,
    conventionId: r.convention_id,
    status: r.status,
    ackWithinMinutes: r.ack_within_minutes,
    deployWithinMinutes: r.deploy_within_minutes,
    ackDeadline: iso(r.ack_deadline),
    escalationLevel: r.escalation_level,
    acceptedQuantity: r.accepted_quantity,
    declineReasonCode: r.decline_reason_code,
    declineComment: r.decline_comment,
    notifiedAt: iso(r.notified_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acceptedAt: iso(r.accepted_at),
    declinedAt: iso(r.declined_at),
    deployedAt: iso(r.deployed_at),
    releasedAt: iso(r.released_at),
    stoodDownAt: iso(r.stood_down_at),
    lastEscalatedAt: iso(r.last_escalated_at),
    deliveryAttempts: r.delivery_attempts,
    deliveryFailedAt: iso(r.delivery_failed_at),
    deliveryError: r.delivery_error,
    deliveryStartedAt: iso(r.delivery_started_at ?? null),
    chainExhaustedAt: iso(r.chain_exhausted_at ?? null),
    deployDeadline: r.accepted_at ? new Date(r.accepted_at.getTime() + r.deploy_within_minutes * 60_000).toISOString() : null,
    deploymentLateAt: iso(r.deployment_late_at ?? null),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Stands down the open requests that match, set-based; answers those it changed. */
export async function standDownRequests(
  manager: EntityManager,
  where: { requirementId: string; exceptId: string } | { activationId: string },
  now: Date,
) {
  const [column, value] = 'requirementId' in where ? ['requirement_id', where.requirementId] : ['activation_id', where.activationId];
  const [rows]: [Record<string, any>[]] = await manager.query(
    `UPDATE mobilization_request SET status = 'STOOD_DOWN', stood_down_at = $2, updated_at = $2
     WHERE ${column} = $1 AND status = ANY($4::text[]) AND id <> $3
     RETURNING *`,
    [value, now.toISOString(), 'exceptId' in where ? where.exceptId : '00000000-0000-0000-0000-000000000000', REQUEST_LIFECYCLE.standDown.from],
  );
  return rows.map(toRequestRecord);
}
