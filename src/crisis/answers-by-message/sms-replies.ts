import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ChannelOutbox } from '../../channels/delivery/channel-outbox.js';
import { type IncomingSms, SmppLink } from '../../channels/sms/smpp-link.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { AnswerByMessageCommand, type AnswerOutcome, type MessageResponse } from './answer-by-message.js';

/** `OK 4821`, `OUI 4821`, `NON 4821 <motif>`: any case, accents or not. */
const REPLY = /^\s*(ok|oui|non)\s*[:.-]?\s*(\d{4})\b[\s:.,-]*(.*)$/is;
const RESPONSE_OF: Record<string, MessageResponse> = { ok: 'acknowledge', oui: 'accept', non: 'decline' };
const DONE: Record<MessageResponse, string> = { acknowledge: 'accusé de réception enregistré', accept: 'acceptation enregistrée', decline: 'refus enregistré' };

export type ParsedReply = { response: MessageResponse; code: string; reason: string | null } | null;

export function parseReply(text: string): ParsedReply {
  const match = REPLY.exec(text.normalize('NFC'));
  if (!match) return null;
  const reason = match[3].trim();
  return { response: RESPONSE_OF[match[1].toLowerCase()], code: match[2], reason: reason ? reason.slice(0, 500) : null };
}

/**
 * Replies to alerts by SMS, received through the SMPP link (deliver_sm). The code is the alert's:
 * it answers all the requests the alert lists that can still take the answer (a decline's
 * reason is kept as its comment, with the code OTHER). Only the alerted person's own verified
 * number may use it: from any other number, or with an unknown code, nothing changes and the
 * sender is told so. Every reply gets an answer by SMS, queued like any message.
 */
@Injectable()
export class SmsReplies implements OnModuleInit {
  private readonly logger = new Logger(SmsReplies.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly link: SmppLink,
    private readonly commands: CommandBus,
    private readonly outbox: ChannelOutbox,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.link.receiveMessages((sms) => this.receive(sms));
  }

  async receive(sms: IncomingSms): Promise<void> {
    const reply = parseReply(sms.text);
    if (!reply) {
      await this.answer(sms.from, null, 'Renfort: réponse non comprise. Répondez OK, OUI ou NON suivi du code à 4 chiffres reçu dans l\'alerte (NON code motif pour refuser).');
      return;
    }
    const [alert] = await this.db.query(
      `SELECT a.id, a.contact_id FROM contact_alert a JOIN contact c ON c.id = a.contact_id
       JOIN contact_method m ON m.contact_id = c.id AND m.method = 'sms' AND m.address = c.phone AND m.verified_at IS NOT NULL
       WHERE a.reply_code = $1 AND c.phone = $2 AND a.composed_at IS NOT NULL
       ORDER BY a.created_at DESC LIMIT 1`,
      [reply.code, sms.from],
    );
    if (!alert) {
      this.logger.log(`SmsReplies: code ${reply.code} answers no alert sent to the number that used it`);
      await this.answer(sms.from, null, `Renfort: le code ${reply.code} ne correspond à aucune alerte envoyée à ce numéro. Aucune réponse n'a été enregistrée.`);
      return;
    }
    const outcome = await this.commands.execute(new AnswerByMessageCommand(
      alert.id, 'all', reply.response, reply.response === 'decline' ? { reasonCode: 'OTHER', comment: reply.reason ?? undefined } : {}, 'sms',
    ));
    await this.answer(sms.from, alert.contact_id, confirmation(reply.response, reply.code, outcome));
  }

  private async answer(to: string, contactId: string | null, text: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.outbox.queue(manager, SYSTEM_ACTOR, { channel: 'sms', recipient: to, purpose: 'reply', contactId, subject: null, body: text }, this.clock.now());
    });
  }
}

export function confirmation(response: MessageResponse, code: string, outcome: AnswerOutcome): string {
  const answered = outcome.answered.length;
  const refused = outcome.refused.length;
  if (answered === 0) return `Renfort: aucune réponse enregistrée avec le code ${code}: les demandes de cette alerte sont déjà traitées ou levées.`;
  const count = answered > 1 ? `pour ${answered} demandes` : `pour ${outcome.answered[0].assetName}`;
  const rest = refused > 0 ? ` ${refused} demande${refused > 1 ? 's' : ''} déjà traitée${refused > 1 ? 's' : ''} ou levée${refused > 1 ? 's' : ''}.` : '';
  return `Renfort: ${DONE[response]} ${count} (crise ${outcome.crisisTitle}). Merci.${rest}`;
}
