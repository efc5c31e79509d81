import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef } from '../../common/auth/role.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { Member, type MemberView } from '../domain/member.js';
import { SirenAlreadyRegisteredError } from '../domain/registry.errors.js';
import { MemberSchema } from '../persistence/registry.schemas.js';
import { WebhookUrlPolicy } from '../webhook-url-policy.js';

export interface RegisterMemberInput {
  legalName: string;
  siren: string;
  charterSignedAt: string;
  charterSignatory: string;
  webhookUrl?: string;
}

export type RegisteredMember = MemberView & { webhookSecret?: string };

/**
 * A signing secret for webhooks, shown to the member once: 32 random bytes in the Standard
 * Webhooks form (`whsec_<base64>`), which a standard library takes as it is.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export class RegisterMemberCommand extends Command<RegisteredMember> {
  constructor(
    readonly actor: ActorRef,
    readonly input: RegisterMemberInput,
  ) {
    super();
  }
}

/** The ADMIN registers a company once it has signed the charter; it starts PENDING vetting. */
@CommandHandler(RegisterMemberCommand)
export class RegisterMemberHandler implements ICommandHandler<RegisterMemberCommand> {
  private readonly webhookUrls: WebhookUrlPolicy;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.webhookUrls = new WebhookUrlPolicy(config);
  }

  async execute({ actor, input }: RegisterMemberCommand): Promise<RegisteredMember> {
    const now = this.clock.now();
    if (input.charterSignedAt > now.toISOString().slice(0, 10)) {
      throw InvalidInputError.field('charterSignedAt', 'must not be in the future');
    }
    if (input.webhookUrl) await this.webhookUrls.assertAllowed(input.webhookUrl);
    const webhookSecret = input.webhookUrl ? newWebhookSecret() : null;
    const member = Member.register({
      id: randomUUID(),
      legalName: input.legalName,
      siren: input.siren,
      charterSignedAt: input.charterSignedAt,
      charterSignatory: input.charterSignatory,
      webhookUrl: input.webhookUrl ?? null,
      webhookSecret,
      now,
    });
    return this.db.transaction(async (manager) => {
      const members = manager.getRepository(MemberSchema);
      if (await members.existsBy({ siren: member.siren })) throw new SirenAlreadyRegisteredError(member.siren);
      try {
        await members.insert(member);
      } catch (error) {
        if ((error as { constraint?: string }).constraint === 'member_siren_key') throw new SirenAlreadyRegisteredError(member.siren);
        throw error;
      }
      const view = member.toView();
      await this.audit.append(manager, actor, [{ aggregateType: 'Member', aggregateId: member.id, type: 'MemberRegistered', payload: { ...view } }]);
      return webhookSecret ? { ...view, webhookSecret } : view;
    });
  }
}
