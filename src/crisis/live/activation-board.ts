import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { sealPendingEvents } from '../../audit/persistence.js';
import { AWAITING_ACKNOWLEDGEMENT } from '../domain/mobilization-request.js';
import { loadActivation } from '../persistence/crisis.persistence.js';
import type {
  ActivationBoardResponse, BoardDeclined, BoardDelivery, BoardMember, BoardRequest, BoardRequirement, BoardStep, BoardStoodDown,
} from './live.dto.js';

export class GetActivationBoardQuery extends Query<ActivationBoardResponse> {
  constructor(readonly activationId: string) {
    super();
  }
}

/** Units per requirement: asked, accepted toward it, arrived on site, given back. */
const REQUIREMENTS = `
  SELECT r.id, r.position, r.category, r.quantity, r.accepted_quantity, r.met_at, count(q.id)::int AS requests,
         coalesce(sum(q.accepted_quantity) FILTER (WHERE q.deployed_at IS NOT NULL), 0)::int AS deployed,
         coalesce(sum(q.accepted_quantity) FILTER (WHERE q.status = 'RELEASED'), 0)::int AS released
  FROM activation_requirement r LEFT JOIN mobilization_request q ON q.requirement_id = r.id
  WHERE r.activation_id = $1
  GROUP BY r.id ORDER BY r.position`;

/**
 * Every request with its member, its asset, the step of its chain reached, the next one while it
 * awaits acknowledgement ($2), and for one stood down, the cause its event recorded.
 */
const REQUESTS = `
  SELECT q.id, q.requirement_id, q.member_id, m.legal_name, q.asset_id, a.name AS asset_name, q.status, q.accepted_quantity,
         q.ack_deadline, q.decline_reason_code, q.decline_comment, q.declined_at, q.stood_down_at, q.updated_at,
         q.delivery_attempts, q.notified_at, q.delivery_failed_at, q.delivery_error,
         cur.level AS cur_level, cur.kind AS cur_kind, cur.contact_name AS cur_name, cur.contact_phone AS cur_phone, cur.directorate_code AS cur_directorate,
         nxt.level AS next_level, nxt.kind AS next_kind, nxt.contact_name AS next_name, nxt.contact_phone AS next_phone,
         nxt.directorate_code AS next_directorate, stood.cause
  FROM mobilization_request q
  JOIN member m ON m.id = q.member_id
  JOIN asset a ON a.id = q.asset_id
  LEFT JOIN mobilization_request_step cur ON cur.request_id = q.id AND cur.level = q.escalation_level
  LEFT JOIN mobilization_request_step nxt ON nxt.request_id = q.id AND nxt.level = q.escalation_level + 1
    AND q.status = ANY($2::text[]) AND q.ack_deadline IS NOT NULL
  LEFT JOIN LATERAL (
    SELECT e.payload->>'cause' AS cause FROM audit_event e
    WHERE q.status = 'STOOD_DOWN' AND e.aggregate_id = q.id::text AND e.type = 'MobilizationRequestStoodDown'
    ORDER BY e.sequence DESC LIMIT 1
  ) stood ON true
  WHERE q.activation_id = $1
  ORDER BY m.legal_name, m.id, q.created_at, q.id`;

/**
 * The live board in one answer, over one snapshot: units per requirement, requests by status,
 * each member's requests with their escalation step, the next step's deadline and contact and
 * their delivery, the declines and stand-downs with their reasons, and the last audit sequence
 * the snapshot includes, from which a client opens the event stream.
 */
@QueryHandler(GetActivationBoardQuery)
export class GetActivationBoardHandler implements IQueryHandler<GetActivationBoardQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ activationId }: GetActivationBoardQuery): Promise<ActivationBoardResponse> {
    // Sealed first, so that asOfSequence covers what the snapshot shows (a command committing in
    // between shows here and comes again on the stream: applying an event twice changes nothing).
    await sealPendingEvents(this.db);
    return this.db.transaction('REPEATABLE READ', (manager) => this.read(manager, activationId));
  }

  private async read(manager: EntityManager, activationId: string): Promise<ActivationBoardResponse> {
    const activation = await loadActivation(manager, activationId);
    const [{ last }] = await manager.query(`SELECT coalesce(max(sequence), 0)::bigint AS last FROM audit_event`);
    const requirements: Record<string, any>[] = await manager.query(REQUIREMENTS, [activationId]);
    const rows: Record<string, any>[] = await manager.query(REQUESTS, [activationId, AWAITING_ACKNOWLEDGEMENT]);

    const countsByStatus: Record<string, number> = {};
    const members = new Map<string, BoardMember>();
    const declined: BoardDeclined[] = [];
    const stoodDown: BoardStoodDown[] = [];
    for (const row of rows) {
      countsByStatus[row.status] = (countsByStatus[row.status] ?? 0) + 1;
      const member: BoardMember = members.get(row.member_id) ?? { memberId: row.member_id, memberName: row.legal_name, countsByStatus: {}, requests: [] };
      member.countsByStatus[row.status] = (member.countsByStatus[row.status] ?? 0) + 1;
      member.requests.push(requestOf(row));
      members.set(row.member_id, member);
      if (row.status === 'DECLINED') {
        declined.push({
          requestId: row.id, memberId: row.member_id, memberName: row.legal_name, reasonCode: row.decline_reason_code,
          comment: row.decline_comment, at: iso(row.declined_at)!,
        });
      }
      if (row.status === 'STOOD_DOWN') {
        stoodDown.push({ requestId: row.id, memberId: row.member_id, memberName: row.legal_name, cause: row.cause ?? null, at: iso(row.stood_down_at)! });
      }
    }
    return {
      activationId,
      crisisId: activation.crisisId,
      status: activation.status,
      decisionReference: activation.decisionReference,
      authorizedAt: activation.authorizedAt,
      asOfSequence: Number(last),
      requestCount: activation.requestCount,
      countsByStatus,
      requirements: requirements.map(
        (r): BoardRequirement => ({
          requirementId: r.id, position: r.position, category: r.category, asked: r.quantity, accepted: r.accepted_quantity,
          deployed: r.deployed, released: r.released, requests: r.requests, metAt: iso(r.met_at),
        }),
      ),
      members: [...members.values()],
      declined,
      stoodDown,
    };
  }
}

function requestOf(row: Record<string, any>): BoardRequest {
  const currentStep: BoardStep | null =
    row.cur_level === null
      ? null
      : { level: row.cur_level, kind: row.cur_kind, contactName: row.cur_name, contactPhone: row.cur_phone, directorateCode: row.cur_directorate };
  return {
    requestId: row.id,
    requirementId: row.requirement_id,
    assetId: row.asset_id,
    assetName: row.asset_name,
    status: row.status,
    acceptedQuantity: row.accepted_quantity,
    currentStep,
    nextStep:
      row.next_level === null
        ? null
        : {
            level: row.next_level, kind: row.next_kind, contactName: row.next_name, contactPhone: row.next_phone,
            directorateCode: row.next_directorate, dueAt: iso(row.ack_deadline)!,
          },
    delivery: deliveryOf(row),
    updatedAt: iso(row.updated_at),
  };
}

function deliveryOf(row: Record<string, any>): BoardDelivery {
  const status = row.notified_at ? 'DELIVERED' : row.delivery_failed_at ? 'FAILED' : row.delivery_attempts > 0 ? 'RETRYING' : 'NOT_STARTED';
  return { status, attempts: row.delivery_attempts, deliveredAt: iso(row.notified_at), failedAt: iso(row.delivery_failed_at), error: row.delivery_error };
}

function iso(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
