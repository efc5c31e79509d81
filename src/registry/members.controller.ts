import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
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
  @ApiOperation({ summary: 'Register a company after it signed the charter (ADMIN)' })
  @ApiCreatedResponse({ type: MemberResponse, description: 'status PENDING; webhookSecret shown once when a webhookUrl is given' })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterMemberRequest) {
    return this.commands.execute(new RegisterMemberCommand(actorRef(actor), body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'List members (a MEMBER user sees only its own)' })
  @ApiOkResponse({ type: MemberPage })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: MembersFilter) {
    return this.queries.execute(new ListMembersQuery(actor, filter));
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One member (a MEMBER user: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: MemberResponse })
  get(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.queries.execute(new GetMemberQuery(actor, memberId));
  }

  @Patch(':id')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: 'Edit a member (ADMIN, or the member itself)' })
  @ApiOkResponse({ type: MemberResponse })
  update(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: UpdateMemberRequest) {
    return this.commands.execute(new UpdateMemberCommand(actor, memberId, body));
  }

  @Post(':id/webhook-secret/rotate')
  @Roles('ADMIN', 'MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new webhook signing secret, shown once (ADMIN, or the member itself)' })
  @ApiOkResponse({ type: MemberResponse })
  rotateWebhookSecret(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.commands.execute(new RotateWebhookSecretCommand(actor, memberId));
  }

  @Post(':id/vet')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'PENDING → ACTIVE (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse })
  vet(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'vet', body);
  }

  @Post(':id/suspend')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACTIVE → SUSPENDED (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse })
  suspend(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'suspend', body);
  }

  @Post(':id/reinstate')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'SUSPENDED → ACTIVE (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse })
  reinstate(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'reinstate', body);
  }

  @Post(':id/withdraw')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'PENDING, ACTIVE or SUSPENDED → WITHDRAWN, final (ADMIN)' })
  @ApiOkResponse({ type: MemberResponse })
  withdraw(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: MemberTransitionRequest) {
    return this.transition(actor, memberId, 'withdraw', body);
  }

  @Post(':id/contacts')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Add a contact to a member (ADMIN, or the member itself)" })
  @ApiCreatedResponse({ type: ContactResponse })
  addContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Body() body: ContactRequest) {
    return this.commands.execute(new AddContactCommand(actor, { memberId }, body));
  }

  @Get(':id/contacts')
  @AnyRole()
  @ApiOperation({ summary: "A member's contacts in escalation order (a MEMBER user: its own only)" })
  @ApiOkResponse({ type: [ContactResponse] })
  contacts(@CurrentActor() actor: Actor, @Param('id', id) memberId: string) {
    return this.queries.execute(new ListContactsQuery(actor, { memberId }));
  }

  @Patch(':id/contacts/:contactId')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Edit a member's contact (ADMIN, or the member itself)" })
  @ApiOkResponse({ type: ContactResponse })
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
  @ApiNoContentResponse()
  async removeContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Param('contactId', id) contactId: string) {
    await this.commands.execute(new RemoveContactCommand(actor, { memberId }, contactId));
  }

  private transition(actor: Actor, memberId: string, action: MemberAction, body: MemberTransitionRequest) {
    return this.commands.execute(new ChangeMemberStatusCommand(actorRef(actor), memberId, action, body.reason?.trim() || null));
  }
}
