import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { AuthorizeActivationCommand, EndActivationCommand, PrepareActivationCommand } from './commands/activation-commands.js';
import { CloseCrisisCommand, OpenCrisisCommand } from './commands/crisis-commands.js';
import type { MemberResponse } from './domain/mobilization-request.js';
import { RespondToRequestCommand } from './commands/respond-to-request.js';
import {
  AcceptRequest, ActivationResponse, CrisesFilter, CrisisResponse, DeclineRequest, DeployRequest, EndActivationRequest,
  MobilizationResponse, MobilizationsFilter, OpenCrisisRequest, PrepareActivationRequest,
} from './dto/crisis.dto.js';
import {
  GetActivationQuery, GetCrisisQuery, GetMobilizationQuery, ListCrisesQuery, ListMobilizationsQuery, PreviewActivationQuery,
} from './queries/crisis-queries.js';

const FOLLOWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

@ApiTags('crises and activations')
@ApiBearerAuth()
@Controller()
export class CrisisController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('crises')
  @Roles('CRISIS_OPERATOR')
  @ApiOperation({ summary: 'Open a crisis; its opening is T0 (CRISIS_OPERATOR)' })
  @ApiCreatedResponse({ type: CrisisResponse })
  open(@CurrentActor() actor: Actor, @Body() body: OpenCrisisRequest) {
    return this.commands.execute(new OpenCrisisCommand(actor, body));
  }

  @Get('crises')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'Crises (operators, minister, auditors, ADMIN)' })
  list(@QueryParams() filter: CrisesFilter) {
    return this.queries.execute(new ListCrisesQuery(filter));
  }

  @Get('crises/:id')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'One crisis and its activations (operators, minister, auditors, ADMIN)' })
  get(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetCrisisQuery(id));
  }

  @Post('crises/:id/close')
  @Roles('CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a crisis once no activation is pending or in progress (CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: CrisisResponse })
  close(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new CloseCrisisCommand(actor, id));
  }

  @Post('crises/:id/activations')
  @Roles('CRISIS_OPERATOR')
  @ApiOperation({ summary: 'Prepare an activation for an OPEN crisis; nothing is asked before authorization (CRISIS_OPERATOR)' })
  @ApiCreatedResponse({ type: ActivationResponse, description: 'status PENDING_AUTHORIZATION' })
  prepare(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: PrepareActivationRequest) {
    return this.commands.execute(new PrepareActivationCommand(actor, id, body));
  }

  @Get('activations/:id')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'Status and counts of requests by status (operators, minister, auditors, ADMIN)' })
  @ApiOkResponse({ type: ActivationResponse })
  activation(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetActivationQuery(id));
  }

  @Get('activations/:id/preview')
  @Roles('CRISIS_OPERATOR', 'MINISTER')
  @ApiOperation({ summary: 'The assets authorizing now would ask, per requirement and member; nothing written (CRISIS_OPERATOR, MINISTER)' })
  preview(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new PreviewActivationQuery(id));
  }

  @Post('activations/:id/authorize')
  @Roles('MINISTER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Authorize: fans out one request per eligible asset (a MINISTER who did not prepare it)' })
  @ApiOkResponse({ type: ActivationResponse })
  authorize(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new AuthorizeActivationCommand(actor, id));
  }

  @Post('activations/:id/cancel')
  @Roles('MINISTER', 'CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel; every open request is stood down (MINISTER, CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: ActivationResponse })
  cancel(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: EndActivationRequest) {
    return this.commands.execute(new EndActivationCommand(actor, id, 'cancel', body.reason?.trim() || null));
  }

  @Post('activations/:id/close')
  @Roles('CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close; every open request is stood down (CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: ActivationResponse })
  closeActivation(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: EndActivationRequest) {
    return this.commands.execute(new EndActivationCommand(actor, id, 'close', body.reason?.trim() || null));
  }

  @Get('mobilizations')
  @Roles('MEMBER', ...FOLLOWERS)
  @ApiOperation({ summary: 'Mobilization requests: a member its own; operators, minister, auditors, ADMIN all' })
  mobilizations(@CurrentActor() actor: Actor, @QueryParams() filter: MobilizationsFilter) {
    return this.queries.execute(new ListMobilizationsQuery(actor, filter));
  }

  @Get('mobilizations/:id')
  @Roles('MEMBER', ...FOLLOWERS)
  @ApiOperation({ summary: 'One request (a member: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: MobilizationResponse })
  mobilization(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetMobilizationQuery(actor, id));
  }

  @Post('mobilizations/:id/acknowledge')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'NOTIFIED or ESCALATED → ACKNOWLEDGED (the owning MEMBER)' })
  @ApiOkResponse({ type: MobilizationResponse })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.respond(actor, id, 'acknowledge');
  }

  @Post('mobilizations/:id/accept')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept, for at most what the requirement still needs (the owning MEMBER)' })
  @ApiOkResponse({ type: MobilizationResponse })
  accept(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: AcceptRequest) {
    return this.respond(actor, id, 'accept', body);
  }

  @Post('mobilizations/:id/decline')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline with a reason code (the owning MEMBER)' })
  @ApiOkResponse({ type: MobilizationResponse })
  decline(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: DeclineRequest) {
    return this.respond(actor, id, 'decline', body);
  }

  @Post('mobilizations/:id/deploy')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACCEPTED → DEPLOYED; the asset becomes ENGAGED (the owning MEMBER)' })
  @ApiOkResponse({ type: MobilizationResponse })
  deploy(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: DeployRequest) {
    return this.respond(actor, id, 'deploy', body);
  }

  @Post('mobilizations/:id/release')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'DEPLOYED → RELEASED; the asset is AVAILABLE again (the owning MEMBER)' })
  @ApiOkResponse({ type: MobilizationResponse })
  release(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.respond(actor, id, 'release');
  }

  private async respond(actor: Actor, id: string, response: MemberResponse, details = {}) {
    const record = await this.commands.execute(new RespondToRequestCommand(actor, id, response, details));
    return this.queries.execute(new GetMobilizationQuery(actor, record.id));
  }
}
