import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { ApiErrorResponse, ApiReasonExample } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { AuthorizeActivationCommand, EndActivationCommand, PrepareActivationCommand } from './commands/activation-commands.js';
import { CloseCrisisCommand, OpenCrisisCommand } from './commands/crisis-commands.js';
import type { MemberResponse } from './domain/mobilization-request.js';
import { RespondToRequestCommand } from './commands/respond-to-request.js';
import {
  AcceptRequest, ActivationPreviewResponse, ActivationProgressResponse, ActivationResponse, CrisesFilter, CrisisDetailResponse, CrisisPage,
  CrisisResponse, DeclineRequest, DeployRequest, EndActivationRequest, MobilizationPage, MobilizationResponse, MobilizationsFilter,
  OpenCrisisRequest, PrepareActivationRequest,
} from './dto/crisis.dto.js';
import {
  GetActivationQuery, GetCrisisQuery, GetMobilizationQuery, ListCrisesQuery, ListMobilizationsQuery, mobilizationViewOf, PreviewActivationQuery,
} from './queries/crisis-queries.js';

const FOLLOWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

const illegalStep = (action: string, state: string, allowed: string) =>
  ApiErrorResponse(409, 'The request is not in a status this answer leaves from; the message names the allowed steps.', {
    code: 'MOBILIZATION_REQUEST.ILLEGAL_TRANSITION',
    message: `Cannot ${action} a mobilization request that is ${state}; allowed from ${state}: ${allowed}`,
  });
const STOOD_DOWN = {
  code: 'REQUEST.STOOD_DOWN',
  message: `Request ${EXAMPLE_ID.request} was stood down (the requirement is met or the activation ended); no answer is needed`,
};
const MEMBER_NOT_ACTIVE = {
  code: 'MEMBER.NOT_ACTIVE',
  message: `Member ${EXAMPLE_ID.member} is SUSPENDED: its users cannot answer request ${EXAMPLE_ID.request}; only an ACTIVE member can`,
};
const MOBILIZATION_OK = ApiOkResponse({ type: MobilizationResponse, description: 'The request in its new status' });

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
  @ApiOperation({
    summary: 'Open a crisis; its opening is T0 (CRISIS_OPERATOR)',
    description: 'Every timeline counts from this moment. An exercise is reported apart from real crises.',
  })
  @ApiCreatedResponse({ type: CrisisResponse, description: 'The crisis, status OPEN' })
  open(@CurrentActor() actor: Actor, @Body() body: OpenCrisisRequest) {
    return this.commands.execute(new OpenCrisisCommand(actor, body));
  }

  @Get('crises')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'Crises (operators, minister, auditors, ADMIN)' })
  @ApiOkResponse({ type: CrisisPage, description: 'A page of crises, most recently opened first' })
  list(@QueryParams() filter: CrisesFilter) {
    return this.queries.execute(new ListCrisesQuery(filter));
  }

  @Get('crises/:id')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'One crisis and its activations (operators, minister, auditors, ADMIN)' })
  @ApiOkResponse({ type: CrisisDetailResponse, description: 'The crisis, with its activations' })
  get(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetCrisisQuery(id));
  }

  @Post('crises/:id/close')
  @Roles('CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a crisis once no activation is pending or in progress (CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: CrisisResponse, description: 'The crisis, CLOSED' })
  @ApiErrorResponse(
    409,
    'An activation is still pending or in progress, or the crisis is already closed.',
    {
      code: 'CRISIS.ACTIVATIONS_IN_PROGRESS',
      message: `Crisis ${EXAMPLE_ID.crisis} still has 1 activation(s) pending or in progress (${EXAMPLE_ID.activation}: IN_PROGRESS); close or cancel them first`,
    },
    { code: 'CRISIS.ILLEGAL_TRANSITION', message: 'Cannot close a crisis that is CLOSED; allowed from CLOSED: nothing (final state)' },
  )
  close(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new CloseCrisisCommand(actor, id));
  }

  @Post('crises/:id/activations')
  @Roles('CRISIS_OPERATOR')
  @ApiOperation({ summary: 'Prepare an activation for an OPEN crisis; nothing is asked before authorization (CRISIS_OPERATOR)' })
  @ApiCreatedResponse({ type: ActivationResponse, description: 'The activation, status PENDING_AUTHORIZATION' })
  @ApiErrorResponse(409, 'The crisis is CLOSED.', {
    code: 'CRISIS.CLOSED',
    message: `Crisis ${EXAMPLE_ID.crisis} is CLOSED; activations are prepared for an OPEN crisis`,
  })
  prepare(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: PrepareActivationRequest) {
    return this.commands.execute(new PrepareActivationCommand(actor, id, body));
  }

  @Get('activations/:id')
  @Roles(...FOLLOWERS)
  @ApiOperation({ summary: 'Status and counts of requests by status (operators, minister, auditors, ADMIN)' })
  @ApiOkResponse({ type: ActivationProgressResponse, description: 'The activation, its requirements and its progress' })
  activation(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetActivationQuery(id));
  }

  @Get('activations/:id/preview')
  @Roles('CRISIS_OPERATOR', 'MINISTER')
  @ApiOperation({
    summary: 'The assets authorizing now would ask, per requirement and member; nothing written (CRISIS_OPERATOR, MINISTER)',
    description: 'Runs the fan-out\'s own selection of eligible assets, so the minister sees what authorizing would ask.',
  })
  @ApiOkResponse({ type: ActivationPreviewResponse, description: 'Eligible assets per requirement and member' })
  preview(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new PreviewActivationQuery(id));
  }

  @Post('activations/:id/authorize')
  @Roles('MINISTER')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Authorize: fans out one request per eligible asset (a MINISTER who did not prepare it)',
    description:
      'In one transaction: the activation becomes AUTHORIZED and one mobilization request is created per eligible asset; ' +
      'the members are then notified through the queues. A repeated call answers 409 (or, with the same Idempotency-Key, the first answer).',
  })
  @ApiOkResponse({ type: ActivationResponse, description: 'The activation, AUTHORIZED, with its requestCount' })
  @ApiErrorResponse(
    403,
    'Four eyes: the minister who prepared the activation may not authorize it. Or, when `AUTHORIZATION_REQUIRES_MFA` is on (always in production), ' +
      'no second factor was checked within `MFA_STEP_UP_WINDOW`: POST /auth/step-up with a code, then retry with the new token (the same Idempotency-Key carries the command through: this refusal is not stored).',
    { code: 'ACTIVATION.FOUR_EYES', message: 'The minister who authorizes an activation must not be the one who prepared it' },
    {
      code: 'AUTH.MFA_REQUIRED',
      message: 'This decision needs a second factor checked within the last 15 min: send the current code of the authenticator app to POST /auth/step-up, then retry with the token it gives',
    },
  )
  @ApiErrorResponse(
    409,
    'The activation was already authorized or ended, or its crisis is closed.',
    { code: 'ACTIVATION.ALREADY_DECIDED', message: `Activation ${EXAMPLE_ID.activation} is already AUTHORIZED; it was authorized or ended before` },
    { code: 'CRISIS.CLOSED', message: `Crisis ${EXAMPLE_ID.crisis} is CLOSED` },
  )
  authorize(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new AuthorizeActivationCommand(actor, id));
  }

  @Post('activations/:id/cancel')
  @Roles('MINISTER', 'CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel; every open request is stood down (MINISTER, CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: ActivationResponse, description: 'The activation, CANCELLED' })
  @ApiErrorResponse(409, 'The activation already ended.', {
    code: 'ACTIVATION.ILLEGAL_TRANSITION',
    message: 'Cannot cancel an activation that is CLOSED; allowed from CLOSED: nothing (final state)',
  })
  @ApiReasonExample(EndActivationRequest, 'Décision rapportée : les renforts départementaux suffisent')
  cancel(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: EndActivationRequest) {
    return this.commands.execute(new EndActivationCommand(actor, id, 'cancel', body.reason?.trim() || null));
  }

  @Post('activations/:id/close')
  @Roles('CRISIS_OPERATOR')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close; every open request is stood down (CRISIS_OPERATOR)' })
  @ApiOkResponse({ type: ActivationResponse, description: 'The activation, CLOSED' })
  @ApiErrorResponse(409, 'The activation is not authorized yet, or already ended.', {
    code: 'ACTIVATION.ILLEGAL_TRANSITION',
    message: 'Cannot close an activation that is PENDING_AUTHORIZATION; allowed from PENDING_AUTHORIZATION: authorize, cancel',
  })
  @ApiReasonExample(EndActivationRequest, 'Décrue constatée, fin de l\'engagement des moyens')
  closeActivation(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: EndActivationRequest) {
    return this.commands.execute(new EndActivationCommand(actor, id, 'close', body.reason?.trim() || null));
  }

  @Get('mobilizations')
  @Roles('MEMBER', ...FOLLOWERS)
  @ApiOperation({
    summary: 'Mobilization requests: a member its own; operators, minister, auditors, ADMIN all',
    description: 'A member without a webhook polls here for its NOTIFIED requests.',
  })
  @ApiOkResponse({ type: MobilizationPage, description: 'A page of requests, oldest first' })
  mobilizations(@CurrentActor() actor: Actor, @QueryParams() filter: MobilizationsFilter) {
    return this.queries.execute(new ListMobilizationsQuery(actor, filter));
  }

  @Get('mobilizations/:id')
  @Roles('MEMBER', ...FOLLOWERS)
  @ApiOperation({ summary: 'One request (a member: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: MobilizationResponse, description: 'The request' })
  mobilization(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetMobilizationQuery(actor, id));
  }

  @Post('mobilizations/:id/acknowledge')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({
    summary: 'PENDING, NOTIFIED or ESCALATED → ACKNOWLEDGED (the owning MEMBER)',
    description:
      'Stops the escalation; acknowledging in time counts as on time in the report. A request the member sees by polling can be ' +
      'acknowledged even when no delivery to its webhook succeeded.',
  })
  @MOBILIZATION_OK
  @ApiErrorResponse(
    409,
    'The request was stood down, is past acknowledging, or the member is SUSPENDED or WITHDRAWN (MEMBER.NOT_ACTIVE).',
    STOOD_DOWN,
    MEMBER_NOT_ACTIVE,
    { code: 'MOBILIZATION_REQUEST.ILLEGAL_TRANSITION', message: 'Cannot acknowledge a mobilization request that is ACCEPTED; allowed from ACCEPTED: deploy' },
  )
  acknowledge(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.respond(actor, id, 'acknowledge');
  }

  @Post('mobilizations/:id/accept')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept, for at most what the requirement still needs (the owning MEMBER)',
    description:
      'Accepts are counted in arrival order: the one that meets the requirement stands down every other open request of it, ' +
      'and a later accept gets 409 REQUEST.STOOD_DOWN. The units accepted are committed on the asset across all activations ' +
      'until released: an accept beyond the units the asset has left gets 409 ASSET.CAPACITY_EXCEEDED, and the asset is ENGAGED.',
  })
  @MOBILIZATION_OK
  @ApiErrorResponse(
    409,
    'The request was stood down (the requirement is met or the activation ended), it cannot be accepted in its status, ' +
      'or the asset has fewer units left than asked (the others are committed to other requests), ' +
      'or the member is SUSPENDED or WITHDRAWN (MEMBER.NOT_ACTIVE).',
    STOOD_DOWN,
    MEMBER_NOT_ACTIVE,
    { code: 'ASSET.CAPACITY_EXCEEDED', message: `Asset ${EXAMPLE_ID.asset} has 2 of its 4 units left; 4 were asked` },
    { code: 'REQUEST.REQUIREMENT_MET', message: `The requirement of request ${EXAMPLE_ID.request} is already met` },
    { code: 'MOBILIZATION_REQUEST.ILLEGAL_TRANSITION', message: 'Cannot accept a mobilization request that is DECLINED; allowed from DECLINED: nothing (final state)' },
  )
  accept(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: AcceptRequest) {
    return this.respond(actor, id, 'accept', body);
  }

  @Post('mobilizations/:id/decline')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline with a reason code (the owning MEMBER)' })
  @MOBILIZATION_OK
  @ApiErrorResponse(
    409,
    'The request was stood down, it cannot be declined in its status, or the member is SUSPENDED or WITHDRAWN (MEMBER.NOT_ACTIVE).',
    STOOD_DOWN,
    MEMBER_NOT_ACTIVE,
    { code: 'MOBILIZATION_REQUEST.ILLEGAL_TRANSITION', message: 'Cannot decline a mobilization request that is ACCEPTED; allowed from ACCEPTED: deploy' },
  )
  decline(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: DeclineRequest) {
    return this.respond(actor, id, 'decline', body);
  }

  @Post('mobilizations/:id/deploy')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACCEPTED → DEPLOYED; the units stay committed, the asset ENGAGED (the owning MEMBER)' })
  @MOBILIZATION_OK
  @illegalStep('deploy', 'ACKNOWLEDGED', 'standDown, accept, decline')
  deploy(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: DeployRequest) {
    return this.respond(actor, id, 'deploy', body);
  }

  @Post('mobilizations/:id/release')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'DEPLOYED → RELEASED; gives back its units, the asset AVAILABLE again once none are out (the owning MEMBER)' })
  @MOBILIZATION_OK
  @illegalStep('release', 'ACCEPTED', 'deploy')
  release(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.respond(actor, id, 'release');
  }

  private async respond(actor: Actor, id: string, response: MemberResponse, details = {}) {
    // The command answers the request as it committed it: no second read.
    return mobilizationViewOf(await this.commands.execute(new RespondToRequestCommand(actor, id, response, details)));
  }
}
