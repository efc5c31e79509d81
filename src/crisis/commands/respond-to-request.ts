import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { ACTIVATION_LIFECYCLE } from '../domain/activation.js';
import { RequestNotFoundError } from '../domain/crisis.errors.js';
import { type DeclineReason, eventOfResponse, type MemberResponse, nextRequestStatus } from '../domain/mobilization-request.js';
import { type MobilizationRequestRecord, standDownRequests, toRequestRecord } from '../persistence/crisis.persistence.js';

export interface ResponseDetails {
  quantity?: number;
  reasonCode?: DeclineReason;
  comment?: string;
  arrivedAt?: string;
}

export class RespondToRequestCommand extends Command<MobilizationRequestRecord> {
  constructor(
    readonly actor: Actor,
    readonly requestId: string,
    readonly response: MemberResponse,
    readonly details: ResponseDetails = {},
  ) {
    super();
  }
}

/**
 * The owning member answers a request. An accept is counted under the requirement's row lock,
 * in arrival order, for at most what the requirement still needs; the accept that meets it
 * stands the other open requests down in the same transaction, so a requirement is never
 * filled beyond its quantity and a later accept finds its request STOOD_DOWN (409).
 * Locks are always taken requirement first, then request.
 */
@CommandHandler(RespondToRequestCommand)
export class RespondToRequestHandler implements ICommandHandler<RespondToRequestCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, requestId, response, details }: RespondToRequestCommand): Promise<MobilizationRequestRecord> {
    return this.db.transaction(async (manager) => {
      const [peek] = await manager.query(`SELECT requirement_id, member_id FROM mobilization_request WHERE id = $1`, [requestId]);
      if (!peek || peek.member_id !== actor.memberId) throw new RequestNotFoundError(requestId);
      if (response === 'accept') {
        await manager.query(`SELECT 1 FROM activation_requirement WHERE id = $1 FOR UPDATE`, [peek.requirement_id]);
      }
      const [row] = await manager.query(`SELECT * FROM mobilization_request WHERE id = $1 FOR UPDATE`, [requestId]);
      const request = toRequestRecord(row);
      const now = this.clock.now();
      if (request.status === 'STOOD_DOWN') {
        throw new ConflictError('REQUEST.STOOD_DOWN', `Request ${requestId} was stood down (the requirement is met or the activation ended); no answer is needed`);
      }
      const status = nextRequestStatus(request.status, response);
      const events: NewDomainEvent[] = [];
      const base = { activationId: request.activationId, requirementId: request.requirementId, memberId: request.memberId, assetId: request.assetId };
      const set: Record<string, unknown> = { status, updated_at: now.toISOString() };

      switch (response) {
        case 'acknowledge':
          set.acknowledged_at = now.toISOString();
          break;
        case 'accept': {
          if (!request.acknowledgedAt) set.acknowledged_at = now.toISOString();
          const counted = await this.countAcceptance(manager, request, details.quantity, now, events);
          Object.assign(set, { accepted_at: now.toISOString(), accepted_quantity: counted });
          break;
        }
        case 'decline':
          if (!details.reasonCode) throw InvalidInputError.field('reasonCode', 'is required to decline');
          if (!request.acknowledgedAt) set.acknowledged_at = now.toISOString();
          Object.assign(set, { declined_at: now.toISOString(), decline_reason_code: details.reasonCode, decline_comment: details.comment?.trim() || null });
          break;
        case 'deploy': {
          const arrivedAt = details.arrivedAt ? new Date(details.arrivedAt) : now;
          if (arrivedAt.getTime() > now.getTime() + 60_000) throw InvalidInputError.field('arrivedAt', 'must not be in the future');
          if (request.acceptedAt && arrivedAt < new Date(request.acceptedAt)) throw InvalidInputError.field('arrivedAt', 'must not be before the acceptance');
          set.deployed_at = arrivedAt.toISOString();
          await manager.query(`UPDATE asset SET status = 'ENGAGED', version = version + 1, updated_at = $2 WHERE id = $1 AND status <> 'RETIRED'`, [
            request.assetId, now.toISOString(),
          ]);
          break;
        }
        case 'release':
          set.released_at = now.toISOString();
          await manager.query(`UPDATE asset SET status = 'AVAILABLE', version = version + 1, updated_at = $2 WHERE id = $1 AND status = 'ENGAGED'`, [
            request.assetId, now.toISOString(),
          ]);
          break;
      }
      const columns = Object.keys(set);
      const [[updated]] = await manager.query(
        `UPDATE mobilization_request SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
        [requestId, ...columns.map((column) => set[column])],
      );
      const record = toRequestRecord(updated);
      events.unshift({
        aggregateType: 'MobilizationRequest',
        aggregateId: requestId,
        type: eventOfResponse(response),
        payload: {
          ...base, from: request.status, to: status,
          ...(response === 'accept' ? { quantity: record.acceptedQuantity } : {}),
          ...(response === 'decline' ? { reasonCode: record.declineReasonCode, comment: record.declineComment } : {}),
          ...(response === 'deploy' ? { arrivedAt: record.deployedAt } : {}),
        },
      });
      await this.audit.append(manager, actorRef(actor), events);
      return record;
    });
  }

  /** Counts an acceptance toward its requirement (already locked); stands the rest down once met. */
  private async countAcceptance(
    manager: EntityManager,
    request: MobilizationRequestRecord,
    asked: number | undefined,
    now: Date,
    events: NewDomainEvent[],
  ): Promise<number> {
    const [requirement] = await manager.query(`SELECT quantity, accepted_quantity, activation_id FROM activation_requirement WHERE id = $1`, [
      request.requirementId,
    ]);
    const [asset] = await manager.query(`SELECT quantity FROM asset WHERE id = $1`, [request.assetId]);
    const offered = asked ?? asset.quantity;
    if (offered > asset.quantity) throw InvalidInputError.field('quantity', `must not exceed the asset's quantity (${asset.quantity})`);
    const remaining = requirement.quantity - requirement.accepted_quantity;
    if (remaining <= 0) throw new ConflictError('REQUEST.REQUIREMENT_MET', `The requirement of request ${request.id} is already met`);
    const counted = Math.min(offered, remaining);
    const met = counted === remaining;
    await manager.query(
      `UPDATE activation_requirement SET accepted_quantity = accepted_quantity + $2, met_at = CASE WHEN $3 THEN $4::timestamptz ELSE met_at END WHERE id = $1`,
      [request.requirementId, counted, met, now.toISOString()],
    );
    if (!met) return counted;

    const stoodDown = await standDownRequests(manager, { requirementId: request.requirementId, exceptId: request.id }, now);
    events.push(
      {
        aggregateType: 'Activation', aggregateId: requirement.activation_id, type: 'ActivationRequirementMet',
        payload: { requirementId: request.requirementId, quantity: requirement.quantity, metAt: now.toISOString(), stoodDown: stoodDown.length },
      },
      ...stoodDown.map((r) => ({
        aggregateType: 'MobilizationRequest', aggregateId: r.id, type: 'MobilizationRequestStoodDown',
        payload: { activationId: r.activationId, requirementId: r.requirementId, memberId: r.memberId, assetId: r.assetId, cause: 'requirement met' },
      })),
    );
    const [fulfilled] = await manager.query(
      `UPDATE activation SET status = $3, fulfilled_at = $2, updated_at = $2
       WHERE id = $1 AND status = ANY($4::text[])
         AND NOT EXISTS (SELECT 1 FROM activation_requirement WHERE activation_id = $1 AND met_at IS NULL)
       RETURNING id`,
      [requirement.activation_id, now.toISOString(), ACTIVATION_LIFECYCLE.fulfil.to, ACTIVATION_LIFECYCLE.fulfil.from],
    );
    if (fulfilled.length > 0) {
      events.push({ aggregateType: 'Activation', aggregateId: requirement.activation_id, type: 'ActivationFulfilled', payload: { fulfilledAt: now.toISOString() } });
    }
    return counted;
  }
}
