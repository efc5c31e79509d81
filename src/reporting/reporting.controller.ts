import { Controller, Get, Headers, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { InvalidInputError } from '../common/errors/domain-error.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { DirectorateCodePipe } from '../registry/directorate-code.pipe.js';
import {
  ActivationOverviewPage, ActivationsOverviewFilter, ActivationReportResponse, EDXL_RM_EXAMPLE, TIMELINE_CSV_EXAMPLE, EDXL_RM_MESSAGE_EXAMPLE, EdxlRmMessageLink, HistoryReportResponse, REPORT_CSV_EXAMPLE, ReportFormat, TimelineFilter, TimelineResponse,
} from './dto/reporting.dto.js';
import { toCsv } from './formats/csv.js';
import { edxlRmMessagePath, renderEdxlRmMessage, renderEdxlRmThread, RENFORT_THREAD_NAMESPACE } from './formats/edxl-rm.js';
import { TIMELINE_CSV_COLUMNS, timelineCsvRows } from './formats/timeline-csv.js';
import { ActivationReportQuery, REPORT_CSV_COLUMNS } from './queries/activation-report.js';
import { ActivationsOverviewQuery } from './queries/activations-overview.js';
import { ActivationTimelineQuery } from './queries/activation-timeline.js';
import { EdxlRmThreadQuery } from './queries/edxl-export.js';
import { HistoryReportQuery } from './queries/history-reports.js';
import { EdxlRmMessageNotFoundError } from './reporting.errors.js';

const REVIEWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

@ApiTags('after-action review')
@ApiBearerAuth()
@ApiExtraModels(ActivationReportResponse, TimelineResponse)
@Controller()
export class ReportingController {
  constructor(private readonly queries: QueryBus) {}

  @Get('activations/:id/timeline')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: 'Every step of the activation with times since T0 and since authorization; CSV with Accept: text/csv or ?format=csv (operators, minister, auditors, ADMIN)',
    description:
      'Read from the audit log, in sequence order: the crisis opened (T0), the activation prepared and authorized (by whom), ' +
      'then every step of every request (notified, escalated with the contact named, acknowledged, accepted or declined, deployed, released, stood down), ' +
      'with the member and asset named. The CSV holds every entry (one row per event), whatever the page asked.',
  })
  @ApiOkResponse({
    description: 'A page of timeline entries, with T0 and the authorization time; or every entry as CSV (RFC 4180, CRLF, UTF-8, header row; sent as an attachment)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TimelineResponse) } },
      'text/csv': { schema: { type: 'string' }, example: TIMELINE_CSV_EXAMPLE },
    },
  })
  async timeline(
    @Param('id', UuidPipe) id: string,
    @QueryParams() filter: TimelineFilter,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = wantsCsv(filter.format, accept);
    const timeline = await this.queries.execute(new ActivationTimelineQuery(id, filter, csv));
    if (!csv) return timeline;
    return csvAttachment(reply, `activation-${id}-timeline.csv`, toCsv(TIMELINE_CSV_COLUMNS, timelineCsvRows(timeline)));
  }

  @Get('activations/:id/report')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: 'After-action figures; CSV (one row per member) with Accept: text/csv or ?format=csv (operators, minister, auditors, ADMIN)',
    description:
      'Computed in SQL over the requests in one snapshot: counts by status, times to notify, acknowledge, accept and deploy ' +
      '(p50, p90, max), conformance to the committed times per member and directorate, decline reasons, escalations, requirements met.',
  })
  @ApiOkResponse({
    description: 'The report as JSON, or its per-member rows as CSV (RFC 4180, CRLF, UTF-8, header row; sent as an attachment)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ActivationReportResponse) } },
      'text/csv': { schema: { type: 'string' }, example: REPORT_CSV_EXAMPLE },
    },
  })
  async report(
    @Param('id', UuidPipe) id: string,
    @QueryParams() query: ReportFormat,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.execute(new ActivationReportQuery(id));
    if (!wantsCsv(query.format, accept)) return report;
    return csvAttachment(reply, `activation-${id}-report.csv`, toCsv(REPORT_CSV_COLUMNS, report.byMember));
  }

  @Get('activations/:id/edxl-rm')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: "The activation's EDXL-RM 1.0 thread in one document (operators, minister, auditors, ADMIN)",
    description:
      'EDXL-RM 1.0 defines single messages, no document holding several: this one is a Renfort wrapper, `rt:MessageThread` in the ' +
      `namespace \`${RENFORT_THREAD_NAMESPACE}\` (not an OASIS namespace), with one \`rt:Message\` (attributes \`n\`, \`type\`, \`href\`) per message in ` +
      'thread order. The element inside each `rt:Message` is the EDXL-RM 1.0 message itself, valid against the OASIS schema of its type, ' +
      'the same document `GET /activations/{id}/edxl-rm/messages/{n}` answers. The mapping: a RequestResource for the authorized activation, ' +
      'ResponseToRequestResource for each acknowledgement (Provisional), acceptance and decline (its reason from a value list), ' +
      'CommitResource for the units a member commits, ReportResourceDeploymentStatus for the arrival on site, ReleaseResource for the release, ' +
      'and for a cancelled activation a RequestResource carrying MessageRecall (Cancel) that names the original request.',
  })
  @ApiOkResponse({
    description: 'The thread: a Renfort wrapper around EDXL-RM 1.0 messages',
    content: { 'application/xml': { schema: { type: 'string' }, example: EDXL_RM_EXAMPLE } },
  })
  async edxl(@Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const messages = await this.queries.execute(new EdxlRmThreadQuery(id));
    void reply.header('content-type', 'application/xml; charset=utf-8');
    return renderEdxlRmThread(id, messages);
  }

  @Get('activations/:id/edxl-rm/messages')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: "The EDXL-RM 1.0 messages of the activation's thread, in order (operators, minister, auditors, ADMIN)",
    description:
      'One entry per message: its position `n` (from 1), its EDXL-RM message type and its address. Messages are in the order their ' +
      'facts took effect; nothing is listed before the activation is authorized.',
  })
  @ApiOkResponse({ type: [EdxlRmMessageLink], description: 'The messages, in thread order' })
  async edxlMessages(@Param('id', UuidPipe) id: string): Promise<EdxlRmMessageLink[]> {
    const messages = await this.queries.execute(new EdxlRmThreadQuery(id));
    return messages.map(({ n, type }) => ({ n, type, href: edxlRmMessagePath(id, n) }));
  }

  @Get('activations/:id/edxl-rm/messages/:n')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: 'One EDXL-RM 1.0 message of the thread (operators, minister, auditors, ADMIN)',
    description:
      'A standalone EDXL-RM 1.0 document whose root is the message (namespace `urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg`, the ' +
      'children of its common types in `urn:oasis:names:tc:emergency:EDXL:RM:1.0`), valid against the OASIS schema EDXL-RM<type>.xsd.',
  })
  @ApiParam({ name: 'n', description: 'Position of the message in the thread, from 1', schema: { type: 'integer', minimum: 1 }, example: 4 })
  @ApiOkResponse({
    description: 'The message, as an EDXL-RM 1.0 document',
    content: { 'application/xml': { schema: { type: 'string' }, example: EDXL_RM_MESSAGE_EXAMPLE } },
  })
  @ApiErrorResponse(400, 'n is not an integer.', { code: 'REQUEST.INVALID', message: 'Invalid request: n must be an integer' })
  @ApiErrorResponse(404, 'No such activation, or no message n in its thread.', {
    code: 'EDXL_RM.MESSAGE_NOT_FOUND',
    message: `The EDXL-RM thread of activation ${EXAMPLE_ID.activation} has 6 message(s); there is no message 7`,
  })
  async edxlMessage(@Param('id', UuidPipe) id: string, @Param('n') n: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!/^[+-]?\d+$/.test(n)) throw InvalidInputError.field('n', 'must be an integer');
    const messages = await this.queries.execute(new EdxlRmThreadQuery(id));
    const message = messages[Number(n) - 1];
    if (!message) throw new EdxlRmMessageNotFoundError(id, n, messages.length);
    void reply.header('content-type', 'application/xml; charset=utf-8');
    return renderEdxlRmMessage(message);
  }

  @Get('reports/members/:id')
  @Roles('MEMBER', ...REVIEWERS)
  @ApiOperation({ summary: "A member's record across activations, exercises apart (a member: its own)" })
  @ApiOkResponse({ type: HistoryReportResponse, description: 'Its history per activation, and totals with real crises and exercises apart' })
  member(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'member', id }));
  }

  @Get('reports/directorates/:code')
  @Roles('DIRECTORATE', ...REVIEWERS)
  @ApiOperation({
    summary: "A directorate's record across activations, exercises apart, committed times against measured ones (a directorate: its own; operators, minister, auditors, ADMIN)",
    description: 'Over every request made through a convention of the directorate.',
  })
  @ApiOkResponse({ type: HistoryReportResponse, description: 'Its history per activation, and totals with real crises and exercises apart' })
  @ApiErrorResponse(400, 'code is not a directorate code.', { code: 'REQUEST.INVALID', message: 'Invalid request: code must be a directorate code such as DGSCGC' })
  @ApiErrorResponse(404, 'No such directorate, or another directorate than the caller\'s own.', { code: 'DIRECTORATE.NOT_FOUND', message: 'No directorate with code DGPN' })
  directorate(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'directorate', id: code }));
  }

  @Get('reports/activations')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: 'Every activation with its figures, latest first, exercises told apart (operators, minister, auditors, ADMIN)',
    description: 'Requests, answers, conformance to the committed times and measured times per activation; `exercise=true|false` keeps one kind only.',
  })
  @ApiOkResponse({ type: ActivationOverviewPage, description: 'A page of activations with their figures' })
  @ApiErrorResponse(400, 'exercise is neither true nor false.', { code: 'REQUEST.INVALID', message: 'Invalid request: exercise must be true or false' })
  activations(@QueryParams() filter: ActivationsOverviewFilter) {
    return this.queries.execute(new ActivationsOverviewQuery(filter));
  }

  @Get('reports/conventions/:id')
  @Roles('MEMBER', 'DIRECTORATE', ...REVIEWERS)
  @ApiOperation({ summary: "A convention's record across activations, exercises apart (parties, operators, minister, auditors, ADMIN)" })
  @ApiOkResponse({ type: HistoryReportResponse, description: 'Its history per activation, and totals with real crises and exercises apart' })
  convention(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'convention', id }));
  }
}

/** CSV when asked by ?format=csv, or by Accept: text/csv when no format is given. */
function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? ''));
}

function csvAttachment(reply: FastifyReply, filename: string, csv: string): string {
  void reply.header('content-type', 'text/csv; charset=utf-8; header=present');
  void reply.header('content-disposition', `attachment; filename="${filename}"`);
  return csv;
}
