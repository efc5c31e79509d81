import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { connectionPool, inPipelinedTransaction, plannedOnce, type Row, type Statement } from '../../common/database/pipelined-transaction.js';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { ACTIVATION_LIFECYCLE } from '../domain/activation.js';
import { RequestNotFoundError } from '../domain/crisis.errors.js';
import { type DeclineReason, eventOfResponse, type MemberResponse, nextRequestStatus, REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';
import { type MobilizationRequestRecord, toRequestRecord } from '../persistence/crisis.persistence.js';
import { ACCEPT_REQUEST, ACKNOWLEDGE_REQUEST } from '../persistence/response-statements.js';
import { CapacityExceededError, fitsCapacity } from '../../registry/domain/capacity.js';
import { PARTICIPATING_MEMBER_STATUSES, participates } from '../../registry/domain/member.js';
import { MemberNotActiveError } from '../../registry/domain/registry.errors.js';

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

const LOCK_REQUEST = `SELECT q.*, m.status AS member_status FROM mobilization_request q JOIN member m ON m.id = q.member_id
  WHERE q.id = $1 AND q.member_id = $2 FOR UPDATE OF q`;

/**
 * The owning member answers a request. An accept is counted under the requirement's row lock,
 * in arrival order, for at most what the requirement still needs; the accept that meets it
 * stands the other open requests down in the same transaction, so a requirement is never
 * filled beyond its quantity and a later accept finds its request STOOD_DOWN (409).
 * Acknowledgements and accepts, by far the most frequent answers and the ones that contend,
 * are single statements (response-statements.ts); the others read, decide, then write, in a
 * pipelined transaction of two round trips.
 */
@CommandHandler(RespondToRequestCommand)
export class RespondToRequestHandler implements ICommandHandler<RespondToRequestCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(command: RespondToRequestCommand): Promise<MobilizationRequestRecord> {
    switch (command.response) {
      case 'acknowledge':
        return this.acknowledge(command);
      case 'accept':
        return this.accept(command);
      default:
        return this.answer(command);
    }
  }

  private async acknowledge({ actor, requestId }: RespondToRequestCommand): Promise<MobilizationRequestRecord> {
    const { from, to } = REQUEST_LIFECYCLE.acknowledge;
    const { rows: [row] } = await connectionPool(this.db).query({ ...plannedOnce(this.db, ACKNOWLEDGE_REQUEST), values: [
      requestId, actor.memberId, from, to, this.clock.now().toISOString(), actor.userId, actor.role, eventOfResponse('acknowledge'),
      PARTICIPATING_MEMBER_STATUSES,
    ] });
    return row?.changed ? toRequestRecord(row) : this.refuse(actor, requestId, 'acknowledge', row);
  }

  private async accept({ actor, requestId, details }: RespondToRequestCommand): Promise<MobilizationRequestRecord> {
    const at = this.clock.now().toISOString();
    const { rows: [row] } = await connectionPool(this.db).query({ ...plannedOnce(this.db, ACCEPT_REQUEST), values: [
      requestId, actor.memberId, REQUEST_LIFECYCLE.standDown.from, REQUEST_LIFECYCLE.accept.from, details.quantity ?? null, at, at,
      actor.userId, actor.role, REQUEST_LIFECYCLE.accept.to, REQUEST_LIFECYCLE.standDown.to, ACTIVATION_LIFECYCLE.fulfil.from, ACTIVATION_LIFECYCLE.fulfil.to,
      eventOfResponse('accept'), PARTICIPATING_MEMBER_STATUSES,
    ] }).catch((error: { code?: string; constraint?: string }) => {
      // The asset's CHECK, the last guard of the ledger: nothing was written; say what is left.
      if (error.code === '23514' && error.constraint === 'asset_committed_within_quantity') return { rows: [] as Row[] };
      throw error;
    });
    return row?.changed ? toRequestRecord(row) : this.refuse(actor, requestId, 'accept', row, details.quantity);
  }

  /**
   * Why a single-statement answer changed nothing; nothing was written. The request as the
   * statement found it usually says why; if it was answerable then, it changed while the
   * statement waited for its lock, and it is read again.
   */
  private async refuse(actor: Actor, requestId: string, response: 'acknowledge' | 'accept', found: Row | undefined, offered?: number): Promise<never> {
    const refusal = found && refusalOf(requestId, response, found, offered);
    if (refusal) throw refusal;
    const [current] = await this.db.query(
      `SELECT q.*, a.quantity AS asset_quantity, a.committed_quantity AS asset_committed, r.quantity AS required, r.accepted_quantity AS already_accepted,
              m.status AS member_status
       FROM mobilization_request q JOIN asset a ON a.id = q.asset_id JOIN activation_requirement r ON r.id = q.requirement_id
       JOIN member m ON m.id = q.member_id
       WHERE q.id = $1 AND q.member_id = $2`,
      [requestId, actor.memberId],
    );
    throw refusalOf(requestId, response, current, offered) ??
      new ConflictError('REQUEST.CHANGED', `Request ${requestId} changed while it was being answered; try again`);
  }

  /** Declines, deployments and releases: the request locked and read, the domain decides, then the writes and the commit. */
  private async answer({ actor, requestId, response, details }: RespondToRequestCommand): Promise<MobilizationRequestRecord> {
    return inPipelinedTransaction(this.db, async (tx) => {
      const [[row]] = await tx.begin([[LOCK_REQUEST, [requestId, actor.memberId]]]);
      if (!row) throw new RequestNotFoundError(requestId);
      const request = toRequestRecord(row);
      if (response === 'decline' && !participates(row.member_status)) throw memberNotAnswering(row, requestId);
      if (request.status === 'STOOD_DOWN') throw stoodDown(requestId);
      const status = nextRequestStatus(request.status, response);
      const now = this.clock.now();
      const at = now.toISOString();
      const set: Record<string, unknown> = { status, updated_at: at };
      const assetChanges: Statement[] = [];

      switch (response) {
        case 'decline':
          if (!details.reasonCode) throw InvalidInputError.field('reasonCode', 'is required to decline');
          if (!request.acknowledgedAt) set.acknowledged_at = at;
          Object.assign(set, { declined_at: at, decline_reason_code: details.reasonCode, decline_comment: details.comment?.trim() || null });
          break;
        case 'deploy': {
          // The asset's units were committed (and the asset ENGAGED) by the accept: the ledger does not change.
          const arrivedAt = details.arrivedAt ? new Date(details.arrivedAt) : now;
          if (arrivedAt.getTime() > now.getTime() + 60_000) throw InvalidInputError.field('arrivedAt', 'must not be in the future');
          if (request.acceptedAt && arrivedAt < new Date(request.acceptedAt)) throw InvalidInputError.field('arrivedAt', 'must not be before the acceptance');
          set.deployed_at = arrivedAt.toISOString();
          break;
        }
        case 'release':
          set.released_at = at;
          // Gives back exactly the units this request held, under the request's lock (a release
          // happens once); the asset is AVAILABLE again only when no other request holds any.
          // GREATEST: an asset over-committed before the ledger existed started full, not beyond.
          assetChanges.push([
            `UPDATE asset SET committed_quantity = GREATEST(committed_quantity - $3, 0),
                    status = CASE WHEN status = 'ENGAGED' AND committed_quantity <= $3 THEN 'AVAILABLE' ELSE status END,
                    version = version + 1, updated_at = $2
             WHERE id = $1`,
            [request.assetId, at, request.acceptedQuantity ?? 0],
          ]);
          break;
        default:
          throw new Error(`RespondToRequestHandler: ${response} is answered in one statement`);
      }

      const columns = Object.keys(set);
      const event: NewDomainEvent = {
        aggregateType: 'MobilizationRequest',
        aggregateId: requestId,
        type: eventOfResponse(response),
        payload: {
          activationId: request.activationId, requirementId: request.requirementId, memberId: request.memberId, assetId: request.assetId,
          from: request.status, to: status,
          ...(response === 'decline' ? { reasonCode: set.decline_reason_code, comment: set.decline_comment } : {}),
          ...(response === 'deploy' ? { arrivedAt: set.deployed_at } : {}),
        },
      };
      const [[updated]] = await tx.commit([
        [
          `UPDATE mobilization_request SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
          [requestId, ...columns.map((column) => set[column])],
        ],
        ...assetChanges,
        this.audit.appendStatement(actorRef(actor), [event]).statement,
      ]);
      return toRequestRecord(updated);
    });
  }
}

/**
 * A member suspended or withdrawn answers nothing more: its open requests were stood down with
 * the change. Deployments and releases of what it accepted before are still reported: they are
 * facts about units already committed, and a release gives them back.
 */
function memberNotAnswering(row: Row, requestId: string): MemberNotActiveError {
  return new MemberNotActiveError(row.member_id, row.member_status, `its users cannot answer request ${requestId}`);
}

function stoodDown(requestId: string): ConflictError {
  return new ConflictError('REQUEST.STOOD_DOWN', `Request ${requestId} was stood down (the requirement is met or the activation ended); no answer is needed`);
}

/**
 * What the domain's rules say against the answer, given the request as read (none: not this
 * member's); null when they allow it.
 */
function refusalOf(requestId: string, response: 'acknowledge' | 'accept', row: Row | undefined, offered?: number): Error | null {
  if (!row) return new RequestNotFoundError(requestId);
  if (row.member_status && !participates(row.member_status)) return memberNotAnswering(row, requestId);
  const request = toRequestRecord(row);
  if (request.status === 'STOOD_DOWN') return stoodDown(requestId);
  try {
    nextRequestStatus(request.status, response);
  } catch (illegal) {
    return illegal as Error;
  }
  if (response === 'accept') {
    if (offered !== undefined && offered > row.asset_quantity) {
      return InvalidInputError.field('quantity', `must not exceed the asset's quantity (${row.asset_quantity})`);
    }
    if (row.already_accepted >= row.required) return new ConflictError('REQUEST.REQUIREMENT_MET', `The requirement of request ${requestId} is already met`);
    if (!fitsCapacity(row.asset_quantity, row.asset_committed, offered)) {
      return new CapacityExceededError(request.assetId, row.asset_quantity - row.asset_committed, row.asset_quantity, offered);
    }
  }
  return null;
}
