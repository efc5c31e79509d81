import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RecordedDomainEvent } from '../../audit/domain/domain-event.js';
import { DomainEventSubscribers } from '../../audit/relay/domain-event-subscribers.js';
import { ChannelOutbox } from '../../channels/delivery/channel-outbox.js';
import { ChannelSenders } from '../../channels/delivery/channel-senders.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';

export type ConventionNoticeKind = 'review' | 'expiry';

export class EmailConventionNoticeCommand extends Command<number> {
  constructor(
    readonly eventId: string,
    readonly conventionId: string,
    readonly kind: ConventionNoticeKind,
  ) {
    super();
  }
}

/**
 * The correspondents of a convention, on both sides: the member's contacts the convention names
 * (its `memberContactIds`) and the directorate's contact it names (`directorateContactId`); a side
 * the convention names nobody for falls back to that party's national correspondents. Only those
 * whose current email is verified are written to. One email per correspondent and event (a
 * replayed event emails nobody twice); queued with the channel outbox like every message.
 */
@CommandHandler(EmailConventionNoticeCommand)
export class EmailConventionNoticeHandler implements ICommandHandler<EmailConventionNoticeCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: ChannelOutbox,
    private readonly clock: Clock,
  ) {}

  async execute({ eventId, conventionId, kind }: EmailConventionNoticeCommand): Promise<number> {
    return this.db.transaction(async (manager) => {
      const [convention] = await manager.query(
        `SELECT v.id, v.member_id, v.directorate_code, v.ends_on::text, v.review_on::text, v.member_contact_ids, v.directorate_contact_id,
                m.legal_name, d.name AS directorate_name
         FROM convention v JOIN member m ON m.id = v.member_id LEFT JOIN directorate d ON d.code = v.directorate_code WHERE v.id = $1`,
        [conventionId],
      );
      if (!convention) return 0;
      const people: { id: string; name: string; email: string }[] = await manager.query(
        `SELECT c.id, c.name, c.email FROM contact c
         JOIN contact_method cm ON cm.contact_id = c.id AND cm.method = 'email' AND cm.address = c.email AND cm.verified_at IS NOT NULL
         WHERE ((c.member_id = $1 AND (c.id = ANY($3::uuid[]) OR (cardinality($3::uuid[]) = 0 AND c.role = 'NATIONAL_CORRESPONDENT')))
             OR (c.directorate_code = $2 AND (c.id = $4 OR ($4::uuid IS NULL AND c.role = 'NATIONAL_CORRESPONDENT'))))
           AND NOT EXISTS (SELECT 1 FROM convention_notice n WHERE n.event_id = $5 AND n.contact_id = c.id)
         ORDER BY c.member_id NULLS LAST, c.escalation_order`,
        [convention.member_id, convention.directorate_code, convention.member_contact_ids ?? [], convention.directorate_contact_id, eventId],
      );
      const now = this.clock.now();
      for (const person of people) {
        const text = noticeText(kind, person.name, convention);
        const delivery = await this.outbox.queue(
          manager, SYSTEM_ACTOR,
          { channel: 'email', recipient: person.email, purpose: 'convention', contactId: person.id, subject: text.subject, body: text.body },
          now,
        );
        await manager.query(`INSERT INTO convention_notice (event_id, contact_id, delivery_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [eventId, person.id, delivery.id]);
      }
      return people.length;
    });
  }
}

function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

export function noticeText(kind: ConventionNoticeKind, name: string, convention: Record<string, any>): { subject: string; body: string } {
  const parties = `${convention.legal_name} et ${convention.directorate_name ?? convention.directorate_code}`;
  const subject = kind === 'review'
    ? `Renfort : revue annuelle de la convention ${parties}`
    : `Renfort : la convention ${parties} est arrivée à échéance`;
  const lines = kind === 'review'
    ? [
      `La convention entre ${parties} arrive à sa date de revue (${frenchDate(convention.review_on)}), avant son anniversaire du ${frenchDate(convention.ends_on)}.`,
      'Vérifiez avec l\u2019autre partie les moyens couverts, les délais d\u2019accusé de réception et de déploiement, et les contacts : une modification se fait par avenant dans Renfort.',
    ]
    : [
      `La convention entre ${parties} a pris fin le ${frenchDate(convention.ends_on)} sans renouvellement.`,
      'Ses moyens ne peuvent plus être mobilisés à ce titre. Pour poursuivre, préparez une nouvelle convention dans Renfort.',
    ];
  return {
    subject,
    body: [`Bonjour ${name},`, '', ...lines, '', 'Renfort, registre des moyens de la charte de solidarité en cas de crise'].join('\n'),
  };
}

/** Review reminders and expiries, emailed to the convention's correspondents once committed. */
@Injectable()
export class ConventionNoticeSubscriptions implements OnModuleInit {
  constructor(
    private readonly subscribers: DomainEventSubscribers,
    private readonly commands: CommandBus,
    private readonly senders: ChannelSenders,
  ) {}

  onModuleInit(): void {
    const notice = (kind: ConventionNoticeKind) => async (event: RecordedDomainEvent) => {
      if (!this.senders.configured('email')) return;
      await this.commands.execute(new EmailConventionNoticeCommand(event.id, event.aggregateId, kind));
    };
    this.subscribers.subscribe('ConventionReviewDue', notice('review'));
    this.subscribers.subscribe('ConventionExpired', notice('expiry'));
  }
}
