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
import { MemberNotFoundError, StaleVersionError } from '../domain/registry.errors.js';
import { MemberSchema } from '../persistence/registry.schemas.js';
import { WebhookUrlPolicy } from '../webhook-url-policy.js';
import { newWebhookSecret, type RegisteredMember } from './register-member.js';

export interface MemberChanges {
  legalName?: string;
  charterSignatory?: string;
  webhookUrl?: string | null;
  version?: number;
}

export class UpdateMemberCommand extends Command<RegisteredMember> {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
    readonly changes: MemberChanges,
  ) {
    super();
  }
}

/**
 * Edits a member's details. Setting a webhook where there was none issues a signing secret,
 * shown once; changing the URL keeps the secret (rotate it explicitly).
 */
@CommandHandler(UpdateMemberCommand)
export class UpdateMemberHandler implements ICommandHandler<UpdateMemberCommand> {
  private readonly webhookUrls: WebhookUrlPolicy;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.webhookUrls = new WebhookUrlPolicy(config);
  }

  async execute({ actor, memberId, changes }: UpdateMemberCommand): Promise<RegisteredMember> {
    assertMayManage(actor, memberId);
    // Resolving the host may take a while: done before the member's row is locked.
    if (typeof changes.webhookUrl === 'string') await this.webhookUrls.assertAllowed(changes.webhookUrl);
    return this.db.transaction(async (manager) => {
      const members = manager.getRepository(MemberSchema);
      const member = await members.findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw new MemberNotFoundError(memberId);
      if (changes.version !== undefined && changes.version !== member.version) throw new StaleVersionError('Member', memberId, member.version);
      if (member.status === 'WITHDRAWN') throw new ConflictError('MEMBER.WITHDRAWN', `Member ${memberId} is WITHDRAWN; its record is closed`);

      const { version: _version, ...fields } = changes;
      let webhookSecret: string | undefined;
      if (fields.legalName !== undefined) member.legalName = fields.legalName.trim();
      if (fields.charterSignatory !== undefined) member.charterSignatory = fields.charterSignatory.trim();
      if (fields.webhookUrl !== undefined) {
        if (fields.webhookUrl === null) member.removeWebhook();
        else {
          if (!member.webhookSecret) member.webhookSecret = webhookSecret = newWebhookSecret();
          member.webhookUrl = fields.webhookUrl;
        }
      }
      member.touch(this.clock.now());
      await members.save(member);
      const view = member.toView();
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Member', aggregateId: member.id, type: 'MemberUpdated', payload: { changes: fields, version: member.version } },
      ]);
      return webhookSecret ? { ...view, webhookSecret } : view;
    });
  }
}
