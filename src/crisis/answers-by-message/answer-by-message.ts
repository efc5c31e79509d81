import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { Actor } from '../../common/auth/role.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { RespondToRequestCommand, type ResponseDetails } from '../commands/respond-to-request.js';
import { AnswerLinkInvalidError, AnswerLinkUsedError } from './answer.errors.js';

export type AnswerChannel = 'email' | 'sms';
export type MessageResponse = 'acknowledge' | 'accept' | 'decline';

export interface AnswerOutcome {
  contact: { id: string; name: string; level: number };
  activationId: string;
  crisisTitle: string;
  answered: { requestId: string; assetName: string; status: string }[];
  refused: { requestId: string; assetName: string; code: string; message: string }[];
}

export class AnswerByMessageCommand extends Command<AnswerOutcome> {
  constructor(
    readonly alertId: string,
    /** The requests answered: one (a link), or all those of the alert (an SMS code). */
    readonly requestIds: string[] | 'all',
    readonly response: MessageResponse,
    readonly details: ResponseDetails,
    readonly channel: AnswerChannel,
    /** The used link's hash, for a link: it answers once. */
    readonly linkHash?: string,
  ) {
    super();
  }
}

/**
 * A person alerted answers from the message (a link's page, an SMS code): each request is answered
 * by the same domain command as the API's, on behalf of the member, then the channel and the
 * contact who gave the answer are recorded (`MobilizationRequestAnsweredByMessage`, shown by the
 * timeline and the report). A link is spent before it answers, so that two clicks answer once; it
 * is given back when nothing could be answered with it (the page then says why).
 */
@CommandHandler(AnswerByMessageCommand)
export class AnswerByMessageHandler implements ICommandHandler<AnswerByMessageCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly commands: CommandBus,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(command: AnswerByMessageCommand): Promise<AnswerOutcome> {
    const { alertId, requestIds, response, details, channel, linkHash } = command;
    const [alert] = await this.db.query(
      `SELECT a.id, a.activation_id, a.level, a.contact_id, c.name AS contact_name, k.title
       FROM contact_alert a JOIN contact c ON c.id = a.contact_id JOIN activation v ON v.id = a.activation_id JOIN crisis k ON k.id = v.crisis_id
       WHERE a.id = $1`,
      [alertId],
    );
    if (!alert) throw new AnswerLinkInvalidError();
    const requests: { id: string; member_id: string; asset_name: string; kind: string }[] = await this.db.query(
      `SELECT r.id, r.member_id, s.name AS asset_name, st.kind FROM contact_alert_request x
       JOIN mobilization_request r ON r.id = x.request_id JOIN asset s ON s.id = r.asset_id
       LEFT JOIN mobilization_request_step st ON st.request_id = r.id AND st.level = x.level
       WHERE x.alert_id = $1 AND ($2::uuid[] IS NULL OR r.id = ANY($2::uuid[])) ORDER BY x.position`,
      [alertId, requestIds === 'all' ? null : requestIds],
    );
    if (requests.length === 0) throw new AnswerLinkInvalidError();
    if (linkHash) {
      const [claimed] = await this.db.query(
        `INSERT INTO answer_link_use (token_hash, alert_id, request_id, action, used_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash`,
        [linkHash, alertId, requests[0].id, response, this.clock.now()],
      );
      if (!claimed) throw new AnswerLinkUsedError();
    }
    const outcome: AnswerOutcome = {
      contact: { id: alert.contact_id, name: alert.contact_name, level: alert.level },
      activationId: alert.activation_id,
      crisisTitle: alert.title,
      answered: [],
      refused: [],
    };
    for (const request of requests) {
      // On behalf of the member: the person is none of its users, the answer is the member's.
      const actor = { userId: null, role: 'MEMBER', memberId: request.member_id } as unknown as Actor;
      try {
        const answered = await this.commands.execute(new RespondToRequestCommand(actor, request.id, response, details));
        outcome.answered.push({ requestId: request.id, assetName: request.asset_name, status: answered.status });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome.refused.push({ requestId: request.id, assetName: request.asset_name, code: error.code, message: error.message });
      }
    }
    if (linkHash && outcome.answered.length === 0) await this.db.query(`DELETE FROM answer_link_use WHERE token_hash = $1`, [linkHash]);
    if (outcome.answered.length > 0) {
      const kindOf = new Map(requests.map((r) => [r.id, r.kind]));
      await this.db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO message_answer (request_id, alert_id, response, channel, contact_id, level, answered_at)
           SELECT id, $2, $3, $4, $5, $6, $7 FROM unnest($1::uuid[]) AS id ON CONFLICT DO NOTHING`,
          [outcome.answered.map((answered) => answered.requestId), alertId, response, channel, alert.contact_id, alert.level, this.clock.now()],
        );
        await this.audit.append(
          manager,
          { id: null, role: 'MEMBER' },
          outcome.answered.map((answered) => ({
            aggregateType: 'MobilizationRequest',
            aggregateId: answered.requestId,
            type: 'MobilizationRequestAnsweredByMessage',
            payload: {
              activationId: alert.activation_id, alertId, response, channel, status: answered.status,
              contactId: alert.contact_id, contactName: alert.contact_name, level: alert.level, stepKind: kindOf.get(answered.requestId) ?? null,
              // "contact n°2": the member's contacts are the first steps of the chain, from level 0.
              contactRank: alert.level + 1,
            },
          })),
        );
      });
    }
    return outcome;
  }
}
