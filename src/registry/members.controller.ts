import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { ApiErrorResponse, ApiReasonExample, ApiRequestExamples } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { ChangeMemberStatusCommand } from './commands/change-member-status.js';
import { AddContactCommand, RemoveContactCommand, UpdateContactCommand } from './commands/contact-commands.js';
import { RegisterMemberCommand } from './commands/register-member.js';
import { RotateWebhookSecretCommand } from './commands/rotate-webhook-secret.js';
import { UpdateMemberCommand } from './commands/update-member.js';
import type { MemberAction } from './domain/member.js';
import { ContactRequest, ContactResponse, UpdateContactRequest } from './dto/contact.dto.js';
import { MemberPage, MemberResponse, MembersFilter, MemberTransitionRequest, RegisterMemberRequest, UpdateMemberRequest } from './dto/member.dto.js';
import { GetMemberQuery, ListContactsQuery, ListMembersQuery } from './queries/member-queries.js';

const id = UuidPipe;

const ILLEGAL_TRANSITION = ApiErrorResponse(409, 'The member is not in a status this action leaves from; the message names the allowed actions.', {
  code: 'MEMBER.ILLEGAL_TRANSITION',
  message: 'Cannot reinstate a member that is ACTIVE; allowed from ACTIVE: suspend, withdraw',
});
const ESCALATION_ORDER_TAKEN = ApiErrorResponse(409, 'Another contact of the same owner already has this escalation order.', {
  code: 'CONTACT.ESCALATION_ORDER_TAKEN',
  message: 'Another contact already has escalation order 1',
});

@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('ADMIN')
  @ApiOperation({
    summary: 'Register a company after it signed the charter (ADMIN)',
    description: 'The member starts PENDING until vetted. With a webhookUrl, its signing secret is in this answer and never again.',
  })
  @ApiCreatedResponse({ type: MemberResponse, description: 'status PENDING; webhookSecret shown once when a webhookUrl is given' })
  @ApiErrorResponse(409, 'A member with this SIREN is already registered.', {
    code: 'MEMBER.SIREN_TAKEN',
    message: 'A member with SIREN 912345675 is already registered',
  })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterMemberRequest) {
    return this.commands.execute(new RegisterMemberCommand(actorRef(actor), body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List members (a MEMBER user sees only its own)' })
  @ApiOkResponse({ type: MemberPage, description: 'A page of members, by legal name' })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: MembersFilter) {
    return this.queries.execute(new ListMembersQuery(actor, filter));
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One member (a MEMBER user: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member' })
  get(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.queries.execute(new GetMemberQuery(actor, memberId));
  }

  @Patch(':id')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: 'Edit a member (ADMIN, or the member itself)', description: 'Send the version read: a stale one is refused.' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member as changed' })
  @ApiErrorResponse(
    409,
    'The version sent is stale, or the member is WITHDRAWN.',
    { code: 'CONCURRENCY.STALE_VERSION', message: `Member ${EXAMPLE_ID.member} was changed meanwhile: its version is now 3; reload and retry` },
    { code: 'MEMBER.WITHDRAWN', message: `Member ${EXAMPLE_ID.member} is WITHDRAWN; its record is closed` },
  )
  update(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: UpdateMemberRequest) {
    return this.commands.execute(new UpdateMemberCommand(actor, memberId, body));
  }

  @Post(':id/webhook-secret/rotate')
  @Roles('ADMIN', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a new webhook signing secret, shown once (ADMIN, or the member itself)',
    description:
      'Deliveries are signed with the new secret from now on and, for the grace period (WEBHOOK_SECRET_GRACE, 24 hours by default), ' +
      'with the previous one as well: receivers still holding it keep verifying while the new one is deployed.',
  })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, with its new webhookSecret' })
  @ApiErrorResponse(409, 'The member has no webhook.', { code: 'MEMBER.NO_WEBHOOK', message: `Member ${EXAMPLE_ID.member} has no webhook to sign for` })
  rotateWebhookSecret(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.commands.execute(new RotateWebhookSecretCommand(actor, memberId));
  }

  @Post(':id/vet')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'PENDING → ACTIVE (ADMIN)', description: 'Vetting: from now on the member can be party to conventions.' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, ACTIVE' })
  @ILLEGAL_TRANSITION
  @ApiReasonExample(MemberTransitionRequest, 'Kbis, attestation d\'assurance et charte signée vérifiés')
  vet(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'vet', body);
  }

  @Post(':id/suspend')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE → SUSPENDED (ADMIN)', description: 'A suspended member is never asked by an activation.' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, SUSPENDED' })
  @ILLEGAL_TRANSITION
  @ApiReasonExample(MemberTransitionRequest, 'Attestation d\'assurance expirée le 30 septembre')
  suspend(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'suspend', body);
  }

  @Post(':id/reinstate')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'SUSPENDED → ACTIVE (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, ACTIVE again' })
  @ILLEGAL_TRANSITION
  @ApiReasonExample(MemberTransitionRequest, 'Attestation d\'assurance renouvelée reçue le 3 décembre')
  reinstate(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'reinstate', body);
  }

  @Post(':id/withdraw')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'PENDING, ACTIVE or SUSPENDED → WITHDRAWN, final (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, WITHDRAWN' })
  @ILLEGAL_TRANSITION
  @ApiReasonExample(MemberTransitionRequest, 'Retrait de la charte demandé par la société (courrier du 15 janvier)')
  withdraw(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'withdraw', body);
  }

  @Post(':id/contacts')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Add a contact to a member (ADMIN, or the member itself)" })
  @ApiCreatedResponse({ type: ContactResponse, description: 'The contact' })
  @ESCALATION_ORDER_TAKEN
  addContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: ContactRequest) {
    return this.commands.execute(new AddContactCommand(actor, { memberId }, body));
  }

  @Get(':id/contacts')
  @AnyRole()
  @ApiOperation({ summary: "A member's contacts in escalation order (a MEMBER user: its own only)" })
  @ApiOkResponse({ type: [ContactResponse], description: 'Its contacts, by escalation order' })
  contacts(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.queries.execute(new ListContactsQuery(actor, { memberId }));
  }

  @Patch(':id/contacts/:contactId')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Edit a member's contact (ADMIN, or the member itself)" })
  @ApiOkResponse({ type: ContactResponse, description: 'The contact as changed' })
  @ESCALATION_ORDER_TAKEN
  @ApiRequestExamples(UpdateContactRequest, {
    phone: { summary: 'A new on-call number, office hours only', value: { phone: '+33698765432', available24x7: false } },
  })
  updateContact(
    @CurrentActor() actor: Actor,
    @Param('id', id) memberId: string,
    @Param('contactId', id) contactId: string,
    @Body() body: UpdateContactRequest,
  ) {
    return this.commands.execute(new UpdateContactCommand(actor, { memberId }, contactId, body));
  }

  @Delete(':id/contacts/:contactId')
  @Roles('ADMIN', 'MEMBER')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a member's contact (ADMIN, or the member itself)" })
  @ApiNoContentResponse({ description: 'Removed; nothing in the body' })
  async removeContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Param('contactId', id) contactId: string) {
    await this.commands.execute(new RemoveContactCommand(actor, { memberId }, contactId));
  }

  private transition(actor: Actor, memberId: string, action: MemberAction, body: MemberTransitionRequest) {
    return this.commands.execute(new ChangeMemberStatusCommand(actorRef(actor), memberId, action, body.reason?.trim() || null));
  }
}
