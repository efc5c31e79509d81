import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/access.decorators.js';
import { AuditEventPage, AuditEventsFilter, AuditHead, ChainVerification } from './dto/audit.dto.js';
import { GetAuditHeadQuery } from './queries/get-audit-head.js';
import { ListAuditEventsQuery } from './queries/list-audit-events.js';
import { VerifyAuditChainQuery } from './queries/verify-audit-chain.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles('AUDITOR', 'ADMIN')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('events')
  @ApiOperation({ summary: 'Recorded events, filtered and paged (AUDITOR, ADMIN)', description: 'Every state change of the registry, in sequence order, with its hash link.' })
  @ApiOkResponse({ type: AuditEventPage, description: 'A page of events' })
  list(@QueryParams() filter: AuditEventsFilter) {
    return this.queries.execute(new ListAuditEventsQuery(filter));
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Recompute the hash chain and report the first broken link (AUDITOR, ADMIN)',
    description: 'Reads the whole log in batches: a changed row is reported at its own sequence, a removed row at the missing sequence.',
  })
  @ApiOkResponse({ type: ChainVerification, description: 'valid, or the first broken sequence and why' })
  verify() {
    return this.queries.execute(new VerifyAuditChainQuery());
  }

  @Get('head')
  @ApiOperation({
    summary: 'Current head of the chain (AUDITOR, ADMIN)',
    description:
      'Record the sequence and hash outside the database. To check later that nothing up to that point ' +
      'changed: GET /audit/verify must answer valid, and GET /audit/events?fromSequence=N&pageSize=1 must ' +
      'show the recorded hash for sequence N.',
  })
  @ApiOkResponse({ type: AuditHead, description: 'The last event\'s sequence and hash' })
  head() {
    return this.queries.execute(new GetAuditHeadQuery());
  }
}
