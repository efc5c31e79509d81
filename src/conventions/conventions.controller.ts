import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { ActOnConventionCommand } from './commands/act-on-convention.js';
import { AmendConventionCommand } from './commands/amend-convention.js';
import { DraftConventionCommand } from './commands/draft-convention.js';
import { RenewConventionCommand } from './commands/renew-convention.js';
import { RunConventionCalendarCommand } from './commands/run-convention-calendar.js';
import { UpdateConventionCommand } from './commands/update-convention.js';
import type { PartyAction } from './domain/convention.js';
import {
  CalendarRunResponse, ConventionActionRequest, ConventionPage, ConventionResponse, ConventionsFilter, DraftConventionRequest,
  EligibilityFilter, EligibleAssetResponse, UpdateConventionRequest,
} from './dto/convention.dto.js';
import { GetConventionQuery, ListConventionsQuery } from './queries/convention-queries.js';
import { EligibleAssetsQuery } from './queries/eligible-assets.js';

const READERS = ['MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

@ApiTags('conventions')
@ApiBearerAuth()
@Controller()
export class ConventionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('conventions')
  @Roles('DIRECTORATE')
  @ApiOperation({ summary: 'Draft a convention for the own directorate with an ACTIVE member (DIRECTORATE)' })
  @ApiCreatedResponse({ type: ConventionResponse, description: 'status DRAFT, version 1' })
  draft(@CurrentActor() actor: Actor, @Body() body: DraftConventionRequest) {
    return this.commands.execute(new DraftConventionCommand(actor, body));
  }

  @Get('conventions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Conventions: a member its own, a directorate those it is party to; operators, minister, auditors, ADMIN all' })
  @ApiOkResponse({ type: ConventionPage })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: ConventionsFilter) {
    return this.queries.execute(new ListConventionsQuery(actor, filter));
  }

  @Get('conventions/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One convention (parties, operators, minister, auditors, ADMIN; 404 for others)' })
  @ApiOkResponse({ type: ConventionResponse })
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetConventionQuery(actor, id));
  }

  @Patch('conventions/:id')
  @Roles('DIRECTORATE')
  @ApiOperation({ summary: 'Edit a DRAFT (the directorate party); anything else is 409' })
  @ApiOkResponse({ type: ConventionResponse })
  update(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: UpdateConventionRequest) {
    return this.commands.execute(new UpdateConventionCommand(actor, id, body));
  }

  @Post('conventions/:id/propose')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'DRAFT → PROPOSED, sent to the member (the directorate party)' })
  @ApiOkResponse({ type: ConventionResponse })
  propose(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'propose', body);
  }

  @Post('conventions/:id/reject')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROPOSED → DRAFT, with a reason (the member party)' })
  @ApiOkResponse({ type: ConventionResponse })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'reject', body);
  }

  @Post('conventions/:id/sign')
  @Roles('MEMBER', 'DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROPOSED → SIGNED (the member party)' })
  @ApiOkResponse({ type: ConventionResponse })
  sign(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'sign', body);
  }

  @Post('conventions/:id/countersign')
  @Roles('DIRECTORATE', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'SIGNED → ACTIVE (the directorate party); an amendment supersedes the version in force' })
  @ApiOkResponse({ type: ConventionResponse })
  countersign(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'countersign', body);
  }

  @Post('conventions/:id/suspend')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE → SUSPENDED (the directorate party)' })
  @ApiOkResponse({ type: ConventionResponse })
  suspend(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'suspend', body);
  }

  @Post('conventions/:id/resume')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'SUSPENDED → ACTIVE (the directorate party)' })
  @ApiOkResponse({ type: ConventionResponse })
  resume(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'resume', body);
  }

  @Post('conventions/:id/terminate')
  @Roles('DIRECTORATE', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE or SUSPENDED → TERMINATED, with a reason (either party)' })
  @ApiOkResponse({ type: ConventionResponse })
  terminate(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'terminate', body);
  }

  @Post('conventions/:id/renew')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend an ACTIVE convention by one more term (the directorate party)' })
  @ApiOkResponse({ type: ConventionResponse })
  renew(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new RenewConventionCommand(actor, id));
  }

  @Post('conventions/:id/amend')
  @Roles('DIRECTORATE')
  @ApiOperation({ summary: 'Open version n+1 as a DRAFT; the ACTIVE one stays in force until it is countersigned (the directorate party)' })
  @ApiCreatedResponse({ type: ConventionResponse })
  amend(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new AmendConventionCommand(actor, id));
  }

  @Post('conventions/calendar/run')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: "Run today's expiry, tacit renewal and review reminders now, as the nightly job does (ADMIN)" })
  @ApiOkResponse({ type: CalendarRunResponse })
  runCalendar() {
    return this.commands.execute(new RunConventionCalendarCommand());
  }

  @Get('eligible-assets')
  @Roles('CRISIS_OPERATOR', 'MINISTER', 'ADMIN', 'AUDITOR')
  @ApiOperation({ summary: 'Assets mobilizable now for a crisis type, départements and categories (operators, minister, ADMIN, AUDITOR)' })
  @ApiOkResponse({ type: [EligibleAssetResponse] })
  eligible(@QueryParams() filter: EligibilityFilter) {
    return this.queries.execute(new EligibleAssetsQuery(filter));
  }

  private act(actor: Actor, id: string, action: PartyAction, body: ConventionActionRequest) {
    return this.commands.execute(new ActOnConventionCommand(actor, id, action, body.reason?.trim() || null));
  }
}
