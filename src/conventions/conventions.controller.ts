import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query as QueryParams, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { ApiErrorResponse, ApiReasonExample } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { ActOnConventionCommand } from './commands/act-on-convention.js';
import { AmendConventionCommand } from './commands/amend-convention.js';
import { DraftConventionCommand } from './commands/draft-convention.js';
import { RenewConventionCommand } from './commands/renew-convention.js';
import { RunConventionCalendarCommand } from './commands/run-convention-calendar.js';
import { UpdateConventionCommand } from './commands/update-convention.js';
import type { PartyAction } from './domain/convention.js';
import {
  CalendarRunResponse, ConventionActionRequest, ConventionCalendarFilter, ConventionCalendarResponse, ConventionPage, ConventionResponse,
  ConventionsFilter, ConventionVersionsResponse, DraftConventionRequest, EligibilityFilter, EligibleAssetResponse, UpdateConventionRequest,
} from './dto/convention.dto.js';
import { ConventionCalendarQuery } from './queries/convention-calendar.js';
import { GetConventionDocumentQuery } from './queries/convention-document.js';
import { GetConventionQuery, ListConventionsQuery } from './queries/convention-queries.js';
import { ListConventionVersionsQuery } from './queries/convention-versions.js';
import { EligibleAssetsQuery } from './queries/eligible-assets.js';

const READERS = ['MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

/** A party acting out of turn: the role may act on conventions, but this step belongs to the other party. */
const wrongParty = (party: string, action: string) =>
  ApiErrorResponse(403, `Only ${party} may ${action} a convention (\`CONVENTION.WRONG_PARTY\`).`, {
    code: 'CONVENTION.WRONG_PARTY',
    message: `Only ${party} may ${action} a convention`,
  });
const illegalTransition = (action: string, state: string, allowed: string) =>
  ApiErrorResponse(409, 'The convention is not in a status this action leaves from; the message names the allowed actions.', {
    code: 'CONVENTION.ILLEGAL_TRANSITION',
    message: `Cannot ${action} a convention that is ${state}; allowed from ${state}: ${allowed}`,
  });
const CONVENTION_OK = ApiOkResponse({ type: ConventionResponse, description: 'The convention in its new status' });

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
  @ApiOperation({
    summary: 'Draft a convention for the own directorate with an ACTIVE member (DIRECTORATE)',
    description:
      'The terms must fit the registry: the member\'s own assets (none RETIRED), its own contacts, a contact of the ' +
      'drafting directorate. Nothing is asked of the member before the draft is proposed.',
  })
  @ApiCreatedResponse({ type: ConventionResponse, description: 'The convention, status DRAFT, version 1' })
  @ApiErrorResponse(400, 'The terms do not fit the registry or each other (an asset of another member, endsOn before startsOn...).', {
    code: 'REQUEST.INVALID',
    message: `Invalid request: assetIds ${EXAMPLE_ID.otherAsset} is not an asset of member ${EXAMPLE_ID.member}`,
  })
  @ApiErrorResponse(403, 'A directorate drafts for itself only (`CONVENTION.OTHER_DIRECTORATE`).', {
    code: 'CONVENTION.OTHER_DIRECTORATE',
    message: 'A DGSCGC user cannot draft a convention for DGPN',
  })
  @ApiErrorResponse(404, 'memberId names no registered member.', { code: 'MEMBER.NOT_FOUND', message: `No member with id ${EXAMPLE_ID.member}` })
  @ApiErrorResponse(409, 'The member is not ACTIVE.', {
    code: 'CONVENTION.MEMBER_NOT_ACTIVE',
    message: `Member ${EXAMPLE_ID.member} is SUSPENDED; conventions are drafted with ACTIVE members only`,
  })
  draft(@CurrentActor() actor: Actor, @Body() body: DraftConventionRequest) {
    return this.commands.execute(new DraftConventionCommand(actor, body));
  }

  @Get('conventions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Conventions: a member its own, a directorate those it is party to; operators, minister, auditors, ADMIN all' })
  @ApiOkResponse({ type: ConventionPage, description: 'A page of conventions, soonest end first' })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: ConventionsFilter) {
    return this.queries.execute(new ListConventionsQuery(actor, filter));
  }

  @Get('conventions/calendar')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Reviews and ends of conventions in force in the next days (a member its own, a directorate its own; operators, minister, auditors, ADMIN all)',
    description:
      'What the nightly calendar pass will meet: each ACTIVE convention whose review date (one already due included, until its end) or last day ' +
      'falls between today (Paris) and `days` days ahead, with what the pass does at the end: expire it, or renew it tacitly.',
  })
  @ApiOkResponse({ type: ConventionCalendarResponse, description: 'The calendar, soonest first' })
  @ApiErrorResponse(400, 'days is not an integer from 1 to 730.', { code: 'REQUEST.INVALID', message: 'Invalid request: days must not be greater than 730' })
  calendar(@CurrentActor() actor: Actor, @QueryParams() filter: ConventionCalendarFilter) {
    return this.queries.execute(new ConventionCalendarQuery(actor, filter.days));
  }

  @Get('conventions/:id/versions')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Every version of the convention, with its hash and what it changes from the version in force (same access as the convention)',
    description: 'The id may be any version of the convention. An amendment being negotiated lists, in `changes`, each term it changes: field, before, after.',
  })
  @ApiOkResponse({ type: ConventionVersionsResponse, description: 'The versions, oldest first' })
  @ApiErrorResponse(404, 'No such convention, or not one the caller may see.', { code: 'CONVENTION.NOT_FOUND', message: `No convention with id ${EXAMPLE_ID.convention}` })
  versions(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new ListConventionVersionsQuery(actor, id));
  }

  @Get('conventions/:id/document')
  @Roles(...READERS)
  @ApiProduces('application/pdf')
  @ApiOperation({
    summary: 'The convention as a printable PDF, in French (same access as the convention)',
    description:
      'The same document for every reader: parties, covered means, scope, committed times, term, renewal and review dates, the gratuity ' +
      'clause, signatories and dates, and the SHA-256 hash of the version it was made from (also sent as the ETag, and listed by ' +
      'GET /conventions/{id}/versions). The same version always gives the same bytes.',
  })
  @ApiOkResponse({
    description: 'The PDF (sent inline); the ETag is the version hash',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrorResponse(404, 'No such convention, or not one the caller may see.', { code: 'CONVENTION.NOT_FOUND', message: `No convention with id ${EXAMPLE_ID.convention}` })
  async document(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const document = await this.queries.execute(new GetConventionDocumentQuery(actor, id));
    void reply.header('content-type', 'application/pdf');
    void reply.header('content-disposition', `inline; filename="convention-${id}-v${document.version}.pdf"`);
    void reply.header('etag', `"${document.hash}"`);
    return document.pdf;
  }

  @Get('conventions/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One convention (parties, operators, minister, auditors, ADMIN; 404 for others)' })
  @ApiOkResponse({ type: ConventionResponse, description: 'The convention' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetConventionQuery(actor, id));
  }

  @Patch('conventions/:id')
  @Roles('DIRECTORATE')
  @ApiOperation({ summary: 'Edit a DRAFT (the directorate party); anything else is 409', description: 'Send the rowVersion read: a stale one is refused.' })
  @ApiOkResponse({ type: ConventionResponse, description: 'The draft as changed' })
  @wrongParty('the directorate party', 'edit')
  @ApiErrorResponse(
    409,
    'The convention is not a DRAFT, or the rowVersion sent is stale.',
    { code: 'CONVENTION.NOT_EDITABLE', message: 'A convention that is ACTIVE cannot be edited; only a DRAFT can (amend an ACTIVE one)' },
    { code: 'CONCURRENCY.STALE_VERSION', message: `Convention ${EXAMPLE_ID.convention} was changed meanwhile: its version is now 4; reload and retry` },
  )
  update(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: UpdateConventionRequest) {
    return this.commands.execute(new UpdateConventionCommand(actor, id, body));
  }

  @Post('conventions/:id/propose')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'DRAFT → PROPOSED, sent to the member (the directorate party)' })
  @CONVENTION_OK
  @wrongParty('the directorate party', 'propose')
  @illegalTransition('propose', 'PROPOSED', 'reject, sign')
  @ApiReasonExample(ConventionActionRequest, 'Version discutée avec Azur Drones le 12 novembre : périmètre 06 et 83')
  propose(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'propose', body);
  }

  @Post('conventions/:id/reject')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROPOSED → DRAFT, with a reason (the member party)', description: '`reason` is required: the directorate reads it before editing the draft again.' })
  @CONVENTION_OK
  @wrongParty('the member party', 'reject')
  @illegalTransition('reject', 'ACTIVE', 'suspend, terminate, expire, supersede')
  @ApiReasonExample(ConventionActionRequest, "Le périmètre ne couvre pas encore le Var : merci d'ajouter le département 83")
  reject(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'reject', body);
  }

  @Post('conventions/:id/sign')
  @Roles('MEMBER', 'DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROPOSED → SIGNED (the member party)' })
  @CONVENTION_OK
  @wrongParty('the member party', 'sign')
  @illegalTransition('sign', 'DRAFT', 'propose')
  @ApiReasonExample(ConventionActionRequest, 'Signée pour Azur Drones Intervention par Claire Martin, présidente')
  sign(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'sign', body);
  }

  @Post('conventions/:id/countersign')
  @Roles('DIRECTORATE', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'SIGNED → ACTIVE (the directorate party); an amendment supersedes the version in force' })
  @CONVENTION_OK
  @wrongParty('the directorate party', 'countersign')
  @illegalTransition('countersign', 'PROPOSED', 'reject, sign')
  @ApiReasonExample(ConventionActionRequest, 'Visa du bureau des affaires juridiques de la DGSCGC')
  countersign(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'countersign', body);
  }

  @Post('conventions/:id/suspend')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE → SUSPENDED (the directorate party)', description: 'While suspended, its assets are not eligible under it.' })
  @CONVENTION_OK
  @wrongParty('the directorate party', 'suspend')
  @illegalTransition('suspend', 'SUSPENDED', 'resume, terminate, supersede')
  @ApiReasonExample(ConventionActionRequest, 'Attestation d\'assurance du prestataire à renouveler')
  suspend(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'suspend', body);
  }

  @Post('conventions/:id/resume')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'SUSPENDED → ACTIVE (the directorate party)' })
  @CONVENTION_OK
  @wrongParty('the directorate party', 'resume')
  @illegalTransition('resume', 'ACTIVE', 'suspend, terminate, expire, supersede')
  @ApiReasonExample(ConventionActionRequest, 'Attestation d\'assurance renouvelée reçue le 3 décembre')
  resume(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'resume', body);
  }

  @Post('conventions/:id/terminate')
  @Roles('DIRECTORATE', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE or SUSPENDED → TERMINATED, with a reason (either party)', description: '`reason` is required. Terminated is final.' })
  @CONVENTION_OK
  @wrongParty('either party', 'terminate')
  @illegalTransition('terminate', 'TERMINATED', 'nothing (final state)')
  @ApiReasonExample(ConventionActionRequest, 'Fin de l\'activité drones du prestataire au 31 décembre')
  terminate(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() body: ConventionActionRequest) {
    return this.act(actor, id, 'terminate', body);
  }

  @Post('conventions/:id/renew')
  @Roles('DIRECTORATE')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend an ACTIVE convention by one more term (the directorate party)', description: 'endsOn and reviewOn move by one term.' })
  @ApiOkResponse({ type: ConventionResponse, description: 'The convention with its new end' })
  @wrongParty('the directorate party', 'renew')
  @ApiErrorResponse(409, 'Only an ACTIVE convention can be renewed.', {
    code: 'CONVENTION.ILLEGAL_TRANSITION',
    message: 'Cannot renew a convention that is SUSPENDED; only an ACTIVE one can be renewed',
  })
  renew(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new RenewConventionCommand(actor, id));
  }

  @Post('conventions/:id/amend')
  @Roles('DIRECTORATE')
  @ApiOperation({ summary: 'Open version n+1 as a DRAFT; the ACTIVE one stays in force until it is countersigned (the directorate party)' })
  @ApiCreatedResponse({ type: ConventionResponse, description: 'The new version, a DRAFT on the same lineage' })
  @wrongParty('the directorate party', 'amend')
  @ApiErrorResponse(
    409,
    'Only an ACTIVE convention can be amended, and one amendment at a time.',
    { code: 'CONVENTION.ILLEGAL_TRANSITION', message: 'Cannot amend a convention that is DRAFT; only an ACTIVE one can be amended' },
    { code: 'CONVENTION.AMENDMENT_OPEN', message: `Version 2 (${EXAMPLE_ID.convention}) is already being negotiated (PROPOSED)` },
  )
  amend(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.commands.execute(new AmendConventionCommand(actor, id));
  }

  @Post('conventions/calendar/run')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: "Run today's expiry, tacit renewal and review reminders now, as the nightly job does (ADMIN)" })
  @ApiOkResponse({ type: CalendarRunResponse, description: 'What the run changed; a second run the same day changes nothing more' })
  runCalendar() {
    return this.commands.execute(new RunConventionCalendarCommand());
  }

  @Get('eligible-assets')
  @Roles('CRISIS_OPERATOR', 'MINISTER', 'ADMIN', 'AUDITOR')
  @ApiOperation({ summary: 'Assets mobilizable now for a crisis type, départements and categories (operators, minister, ADMIN, AUDITOR)' })
  @ApiOkResponse({ type: [EligibleAssetResponse], description: 'Each eligible asset once, under its covering convention with the tightest acknowledgement time' })
  eligible(@QueryParams() filter: EligibilityFilter) {
    return this.queries.execute(new EligibleAssetsQuery(filter));
  }

  private act(actor: Actor, id: string, action: PartyAction, body: ConventionActionRequest) {
    return this.commands.execute(new ActOnConventionCommand(actor, id, action, body.reason?.trim() || null));
  }
}
