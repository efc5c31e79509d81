import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { type AnswerLink, linkHash, linkKey, verifyLink } from '../../channels/domain/answer-links.js';
import { Public } from '../../common/auth/access.decorators.js';
import { ApiErrorResponse } from '../../common/http/openapi.js';
import { DECLINE_REASONS, type DeclineReason, REQUEST_LIFECYCLE, type RequestStatus } from '../domain/mobilization-request.js';
import { parisDateTime } from '../notifications/alert-messages.js';
import { AnswerByMessageCommand } from './answer-by-message.js';
import { AnswerLinkExpiredError, AnswerLinkInvalidError, AnswerLinkUsedError, CrossOriginAnswerError } from './answer.errors.js';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-error.js';
import { ANSWER_PAGE_CSP, confirmationPage, donePage, problemPage, type RequestSummary, STATUS_LABELS } from './answer-page.js';

export class AnswerFormBody {
  @ApiPropertyOptional({ enum: DECLINE_REASONS, description: 'A decline\'s reason (required to decline)', example: 'NOT_AVAILABLE' })
  @IsOptional() @IsIn(DECLINE_REASONS)
  reasonCode?: DeclineReason;

  @ApiPropertyOptional({ maxLength: 500, description: 'A decline\'s comment', example: 'Drone en maintenance' })
  @IsOptional() @IsString() @MaxLength(500)
  comment?: string;
}

const HTML_PAGE = { 'text/html': { schema: { type: 'string' as const, description: 'A page in French' } } };

interface LinkedRequest extends RequestSummary {
  used: boolean;
}

/**
 * The pages an alert's email links open. The link's signed token is the credential (no session,
 * no cookie): the GET shows the request and asks for confirmation, and only the POST of that
 * page's form answers, so a mail scanner opening links answers nothing. The form posts the token
 * back in its own address (same origin, no ambient credential a forged cross-site form could
 * borrow); a POST from another origin is refused all the same. Small, French, no script, no
 * resource from anywhere: readable on a phone at once.
 */
@ApiTags('Answers by message')
@Controller('answers')
export class AnswerLinksController {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly commands: CommandBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = linkKey(config.jwt.secret);
  }

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'The page of an alert\'s answer link: the request and a confirmation form (public: the signed token is the credential; changes nothing)' })
  @ApiResponse({ status: 200, description: 'The confirmation page (HTML, French)', content: HTML_PAGE })
  @ApiErrorResponse(404, 'A forged or altered link (a browser gets a page saying so).', { code: 'ANSWER.LINK_INVALID', message: 'This answer link is not valid: it was altered or was not sent by Renfort' })
  @ApiErrorResponse(409, 'A link used already, or whose request can no longer take this answer (a browser gets a page saying so).', { code: 'ANSWER.LINK_USED', message: 'This answer link was used already: each link answers once' }, { code: 'ANSWER.LINK_EXPIRED', message: 'This answer link has expired: the request is ACCEPTED and can no longer take this answer' })
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = pageOrError(request, reply);
    const link = verifyLink(this.key, token);
    const found = link && (await this.find(link, token));
    if (!link || !found) return page(404, problemPage('invalid'), new AnswerLinkInvalidError());
    if (found.used) return page(409, problemPage('used'), new AnswerLinkUsedError());
    if (!answerable(found.status, link.action)) return page(409, problemPage('expired', STATUS_LABELS[found.status] ?? found.status), new AnswerLinkExpiredError(found.status));
    return send(reply, 200, confirmationPage(link.action, found, encodeURIComponent(token)));
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answers the request of an alert\'s answer link, once (public: the signed token is the credential); the confirmation page\'s form' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: AnswerFormBody, examples: { acknowledgeOrAccept: { value: {} }, decline: { value: { reasonCode: 'NOT_AVAILABLE', comment: 'Drone en maintenance' } } } })
  @ApiResponse({ status: 200, description: 'The answer recorded (HTML, French)', content: HTML_PAGE })
  @ApiErrorResponse(400, 'A decline reason that is not one of the codes, a decline without reason, or a form posted from another site.', { code: 'REQUEST.INVALID', message: 'Invalid request: reasonCode is required to decline' }, { code: 'ANSWER.CROSS_ORIGIN', message: 'Answer from the page of the link: a form posted from another site is refused' })
  @ApiErrorResponse(404, 'A forged or altered link (a browser gets a page saying so).', { code: 'ANSWER.LINK_INVALID', message: 'This answer link is not valid: it was altered or was not sent by Renfort' })
  @ApiErrorResponse(409, 'A link used already, whose request can no longer take this answer, or an answer the request refuses (a browser gets a page saying so).', { code: 'ANSWER.LINK_USED', message: 'This answer link was used already: each link answers once' }, { code: 'ANSWER.LINK_EXPIRED', message: 'This answer link has expired: the request is ACCEPTED and can no longer take this answer' })
  async answer(@Param('token') token: string, @Body() body: AnswerFormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = pageOrError(request, reply);
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && safeHost(origin) !== request.headers.host) return page(400, problemPage('refused', 'répondez depuis la page du lien'), new CrossOriginAnswerError());
    const link = verifyLink(this.key, token);
    const found = link && (await this.find(link, token));
    if (!link || !found) return page(404, problemPage('invalid'), new AnswerLinkInvalidError());
    if (found.used) return page(409, problemPage('used'), new AnswerLinkUsedError());
    if (!answerable(found.status, link.action)) return page(409, problemPage('expired', STATUS_LABELS[found.status] ?? found.status), new AnswerLinkExpiredError(found.status));
    if (link.action === 'decline' && !body?.reasonCode) return page(400, problemPage('refused', 'choisissez un motif de refus'), InvalidInputError.field('reasonCode', 'is required to decline'));
    try {
      const outcome = await this.commands.execute(new AnswerByMessageCommand(
        link.alertId, [link.requestId], link.action,
        link.action === 'decline' ? { reasonCode: body.reasonCode, comment: body.comment } : {},
        'email', linkHash(token),
      ));
      if (outcome.answered.length > 0) return send(reply, 200, donePage(link.action, { ...found, status: outcome.answered[0].status }));
      const after = await this.find(link, token);
      if (after && !answerable(after.status, link.action)) return page(409, problemPage('expired', STATUS_LABELS[after.status] ?? after.status), new AnswerLinkExpiredError(after.status));
      const refused = outcome.refused[0];
      return page(409, problemPage('refused', refused?.message), new ConflictError(refused?.code ?? 'ANSWER.REFUSED', refused?.message ?? 'The answer was refused'));
    } catch (error) {
      if (error instanceof AnswerLinkUsedError) return page(409, problemPage('used'), error);
      if (error instanceof AnswerLinkInvalidError) return page(404, problemPage('invalid'), error);
      throw error;
    }
  }

  private async find(link: AnswerLink, token: string): Promise<LinkedRequest | null> {
    const [row] = await this.db.query(
      `SELECT k.title, k.exercise, k.departements, m.legal_name, s.name AS asset_name, s.category, r.status, r.ack_deadline, c.name AS contact_name,
              EXISTS (SELECT 1 FROM answer_link_use u WHERE u.token_hash = $3) AS used
       FROM contact_alert_request x JOIN contact_alert a ON a.id = x.alert_id JOIN contact c ON c.id = a.contact_id
       JOIN mobilization_request r ON r.id = x.request_id JOIN asset s ON s.id = r.asset_id JOIN member m ON m.id = r.member_id
       JOIN activation v ON v.id = r.activation_id JOIN crisis k ON k.id = v.crisis_id
       WHERE x.alert_id = $1 AND x.request_id = $2`,
      [link.alertId, link.requestId, linkHash(token)],
    );
    if (!row) return null;
    return {
      crisisTitle: row.title, exercise: row.exercise, departements: row.departements, memberName: row.legal_name, assetName: row.asset_name,
      category: row.category, status: row.status, ackDeadline: row.ack_deadline ? parisDateTime(new Date(row.ack_deadline)) : null,
      contactName: row.contact_name, used: row.used,
    };
  }
}

function answerable(status: string, action: AnswerLink['action']): boolean {
  return REQUEST_LIFECYCLE[action].from.includes(status as RequestStatus);
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * A person's browser (it accepts text/html) reads a page saying what went wrong, in French; any
 * other client gets the API's one error shape.
 */
function pageOrError(request: FastifyRequest, reply: FastifyReply) {
  const html = /text\/html/.test(String(request.headers.accept ?? ''));
  return (status: number, page: string, error: Error): void => {
    if (!html) throw error;
    send(reply, status, page);
  };
}

function send(reply: FastifyReply, status: number, html: string): void {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', ANSWER_PAGE_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html);
}
