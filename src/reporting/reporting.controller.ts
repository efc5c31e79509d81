import { Controller, Get, Headers, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import {
  ActivationReportResponse, EDXL_RM_EXAMPLE, HistoryReportResponse, REPORT_CSV_EXAMPLE, ReportFormat, TimelineFilter, TimelineResponse,
} from './dto/reporting.dto.js';
import { toCsv } from './formats/csv.js';
import { ActivationReportQuery, REPORT_CSV_COLUMNS } from './queries/activation-report.js';
import { ActivationTimelineQuery } from './queries/activation-timeline.js';
import { EdxlRmExportQuery } from './queries/edxl-export.js';
import { HistoryReportQuery } from './queries/history-reports.js';

const REVIEWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

@ApiTags('after-action review')
@ApiBearerAuth()
@ApiExtraModels(ActivationReportResponse)
@Controller()
export class ReportingController {
  constructor(private readonly queries: QueryBus) {}

  @Get('activations/:id/timeline')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: 'Every step of the activation with times since T0 and since authorization (operators, minister, auditors, ADMIN)',
    description:
      'Read from the audit log, in sequence order: the crisis opened (T0), the activation prepared and authorized (by whom), ' +
      'then every step of every request (notified, escalated with the contact named, acknowledged, accepted or declined, deployed, released, stood down).',
  })
  @ApiOkResponse({ type: TimelineResponse, description: 'A page of timeline entries, with T0 and the authorization time' })
  timeline(@Param('id', UuidPipe) id: string, @QueryParams() filter: TimelineFilter) {
    return this.queries.execute(new ActivationTimelineQuery(id, filter));
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
    const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!csv) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8; header=present');
    void reply.header('content-disposition', `attachment; filename="activation-${id}-report.csv"`);
    return toCsv(REPORT_CSV_COLUMNS, report.byMember);
  }

  @Get('activations/:id/edxl-rm')
  @Roles(...REVIEWERS)
  @ApiOperation({
    summary: "The activation's thread as OASIS EDXL-RM 1.0 messages (operators, minister, auditors, ADMIN)",
    description:
      'One rm:MessageThread: a RequestResource for the activation, then per answered request a ResponseToRequestResource, ' +
      'a CommitResource (deployment) and a ReleaseResource, each naming the request (OriginatingMessageID) and the message it follows (PrecedingMessageID).',
  })
  @ApiOkResponse({
    description: 'An EDXL-RM 1.0 document (namespace urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg)',
    content: { 'application/xml': { schema: { type: 'string' }, example: EDXL_RM_EXAMPLE } },
  })
  async edxl(@Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.queries.execute(new EdxlRmExportQuery(id));
    void reply.header('content-type', 'application/xml; charset=utf-8');
    return xml;
  }

  @Get('reports/members/:id')
  @Roles('MEMBER', ...REVIEWERS)
  @ApiOperation({ summary: "A member's record across activations, exercises apart (a member: its own)" })
  @ApiOkResponse({ type: HistoryReportResponse, description: 'Its history per activation, and totals with real crises and exercises apart' })
  member(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'member', id }));
  }

  @Get('reports/conventions/:id')
  @Roles('MEMBER', 'DIRECTORATE', ...REVIEWERS)
  @ApiOperation({ summary: "A convention's record across activations, exercises apart (parties, operators, minister, auditors, ADMIN)" })
  @ApiOkResponse({ type: HistoryReportResponse, description: 'Its history per activation, and totals with real crises and exercises apart' })
  convention(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'convention', id }));
  }
}
