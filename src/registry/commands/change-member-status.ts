import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import type { ActorRef } from '../../common/auth/role.js';
import { TokenRevocation } from '../../common/auth/token-revocation.js';
import { Clock } from '../../common/time/clock.js';
import { REQUEST_LIFECYCLE } from '../../crisis/domain/mobilization-request.js';
import { type MemberAction, type MemberView, participates } from '../domain/member.js';
import { MemberNotFoundError } from '../domain/registry.errors.js';
import { MemberSchema } from '../persistence/registry.schemas.js';

export class ChangeMemberStatusCommand extends Command<MemberView> {
  constructor(
    readonly actor: ActorRef,
    readonly memberId: string,
    readonly action: MemberAction,
    readonly reason: string | null,
  ) {
    super();
  }
}

/**
 * vet, suspend, reinstate, withdraw: one audited transition of the charter adhesion. A member
 * that stops taking part (suspended, withdrawn) stops being asked: its open requests are stood
 * down in the same transaction, each with its event. Reinstating reopens none of them: they
 * were answered elsewhere or ended meanwhile.
 */
@CommandHandler(ChangeMemberStatusCommand)
export class ChangeMemberStatusHandler implements ICommandHandler<ChangeMemberStatusCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly revocation: TokenRevocation,
  ) {}

  async execute({ actor, memberId, action, reason }: ChangeMemberStatusCommand): Promise<MemberView> {
    const view = await this.db.transaction(async (manager) => {
      const members = manager.getRepository(MemberSchema);
      const member = await members.findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw new MemberNotFoundError(memberId);
      const from = member.status;
      const now = this.clock.now();
      const type = member.apply(action, reason, now);
      await members.save(member);
      const cause = `member ${member.status.toLowerCase()}`;
      const leaving = participates(from) && !participates(member.status);
      const stoodDown = leaving ? await standDownOpenRequestsOf(manager, memberId, now) : [];
      await this.audit.append(manager, actor, [
        {
          aggregateType: 'Member', aggregateId: member.id, type,
          payload: { from, to: member.status, reason, ...(leaving ? { stoodDown: stoodDown.length } : {}) },
        },
        ...stoodDown.map((request): NewDomainEvent => ({
          aggregateType: 'MobilizationRequest', aggregateId: request.id, type: 'MobilizationRequestStoodDown',
          payload: { activationId: request.activation_id, requirementId: request.requirement_id, memberId, assetId: request.asset_id, cause },
        })),
      ]);
      return member.toView();
    });
    // The member's users are refused once it has withdrawn: on this instance at once, on the others within the cache's second.
    if (view.status === 'WITHDRAWN') this.revocation.forgetAll();
    return view;
  }
}

interface StoodDownRow {
  id: string;
  activation_id: string;
  requirement_id: string;
  asset_id: string;
}

/**
 * Stands down every open request of the member, set-based. Their requirements are locked
 * first, in the order ending an activation locks them (activation, position), as every accept
 * takes the requirement's lock before the request's: no answer can interleave into a deadlock.
 */
async function standDownOpenRequestsOf(manager: EntityManager, memberId: string, now: Date): Promise<StoodDownRow[]> {
  const { from, to } = REQUEST_LIFECYCLE.standDown;
  await manager.query(
    `SELECT r.id FROM activation_requirement r
     WHERE r.id IN (SELECT requirement_id FROM mobilization_request WHERE member_id = $1 AND status = ANY($2::text[]))
     ORDER BY r.activation_id, r.position FOR UPDATE`,
    [memberId, from],
  );
  const [rows]: [StoodDownRow[]] = await manager.query(
    `UPDATE mobilization_request SET status = $3, stood_down_at = $4, updated_at = $4
     WHERE member_id = $1 AND status = ANY($2::text[])
     RETURNING id, activation_id, requirement_id, asset_id`,
    [memberId, from, to, now.toISOString()],
  );
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}
