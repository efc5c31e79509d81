import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import type { MemberAction, MemberView } from '../domain/member.js';
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

/** vet, suspend, reinstate, withdraw: one audited transition of the charter adhesion. */
@CommandHandler(ChangeMemberStatusCommand)
export class ChangeMemberStatusHandler implements ICommandHandler<ChangeMemberStatusCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, memberId, action, reason }: ChangeMemberStatusCommand): Promise<MemberView> {
    return this.db.transaction(async (manager) => {
      const members = manager.getRepository(MemberSchema);
      const member = await members.findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw new MemberNotFoundError(memberId);
      const from = member.status;
      const type = member.apply(action, reason, this.clock.now());
      await members.save(member);
      await this.audit.append(manager, actor, [
        { aggregateType: 'Member', aggregateId: member.id, type, payload: { from, to: member.status, reason } },
      ]);
      return member.toView();
    });
  }
}
