import { Controller, Get, Headers, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { ReportFormat, TimelineFilter } from './dto/reporting.dto.js';
import { toCsv } from './formats/csv.js';
import { ActivationReportQuery, REPORT_CSV_COLUMNS } from './queries/activation-report.js';
import { ActivationTimelineQuery } from './queries/activation-timeline.js';
import { EdxlRmExportQuery } from './queries/edxl-export.js';
import { HistoryReportQuery } from './queries/history-reports.js';

const REVIEWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

@ApiTags('after-action review')
@ApiBearerAuth()
@Controller()
export class ReportingController {
  constructor(private readonly queries: QueryBus) {}

  @Get('activations/:id/timeline')
  @Roles(...REVIEWERS)
  @ApiOperation({ summary: 'Every step of the activation with times since T0 and since authorization (operators, minister, auditors, ADMIN)' })
  timeline(@Param('id', UuidPipe) id: string, @QueryParams() filter: TimelineFilter) {
    return this.queries.execute(new ActivationTimelineQuery(id, filter));
  }

  @Get('activations/:id/report')
  @Roles(...REVIEWERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'After-action figures; CSV (one row per member) with Accept: text/csv or ?format=csv (operators, minister, auditors, ADMIN)' })
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
  @ApiProduces('application/xml')
  @ApiOperation({ summary: "The activation's thread as OASIS EDXL-RM 1.0 messages (operators, minister, auditors, ADMIN)" })
  async edxl(@Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.queries.execute(new EdxlRmExportQuery(id));
    void reply.header('content-type', 'application/xml; charset=utf-8');
    return xml;
  }

  @Get('reports/members/:id')
  @Roles('MEMBER', ...REVIEWERS)
  @ApiOperation({ summary: "A member's record across activations, exercises apart (a member: its own)" })
  member(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'member', id }));
  }

  @Get('reports/conventions/:id')
  @Roles('MEMBER', 'DIRECTORATE', ...REVIEWERS)
  @ApiOperation({ summary: "A convention's record across activations, exercises apart (parties, operators, minister, auditors, ADMIN)" })
  convention(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new HistoryReportQuery(actor, { kind: 'convention', id }));
  }
}
