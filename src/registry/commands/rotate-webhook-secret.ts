import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ConflictError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertMayManage } from '../access.js';
import { MemberNotFoundError } from '../domain/registry.errors.js';
import { MemberSchema } from '../persistence/registry.schemas.js';
import { newWebhookSecret, type RegisteredMember } from './register-member.js';

export class RotateWebhookSecretCommand extends Command<RegisteredMember> {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
  ) {
    super();
  }
}

/**
 * Issues a new webhook signing secret, shown once. The old one keeps signing beside it for the
 * grace period (WEBHOOK_SECRET_GRACE), the time for the member to deploy the new one; then it
 * signs no more.
 */
@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecretCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, memberId }: RotateWebhookSecretCommand): Promise<RegisteredMember> {
    assertMayManage(actor, memberId);
    return this.db.transaction(async (manager) => {
      const members = manager.getRepository(MemberSchema);
      const member = await members.findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw new MemberNotFoundError(memberId);
      if (!member.webhookUrl) throw new ConflictError('MEMBER.NO_WEBHOOK', `Member ${memberId} has no webhook to sign for`);
      const now = this.clock.now();
      const webhookSecret = newWebhookSecret();
      member.rotateWebhookSecret(webhookSecret, now, new Date(now.getTime() + this.config.webhook.secretGraceSeconds * 1000));
      member.touch(now);
      await members.save(member);
      // When the previous secret stops signing: never a secret itself.
      const previousSecretValidUntil = member.webhookPreviousSecretExpiresAt?.toISOString() ?? null;
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Member', aggregateId: member.id, type: 'MemberWebhookSecretRotated', payload: { version: member.version, previousSecretValidUntil } },
      ]);
      return { ...member.toView(), webhookSecret };
    });
  }
}
