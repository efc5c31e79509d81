import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { ApiErrorResponse, ApiRequestExamples } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { CreateUserCommand } from './commands/create-user.js';
import { ChangeOwnPasswordCommand, DisableUserCommand, EnableUserCommand, ReassignUserCommand } from './commands/account-commands.js';
import {
  ChangePasswordRequest, CreateUserRequest, ReassignUserRequest, UserAccountResponse, UserPage, UserResponse, UsersFilter,
} from './dto/user.dto.js';
import { RateLimit } from '../common/throttling/rate-limit.guard.js';
import { GetUserQuery } from './queries/get-user.js';
import { ListUsersQuery } from './queries/list-users.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('ADMIN')
  @ApiOperation({
    summary: 'Create a user with one role (ADMIN)',
    description: 'A MEMBER user acts for one registered member (`memberId`), a DIRECTORATE user for one directorate (`directorateCode`).',
  })
  @ApiRequestExamples(CreateUserRequest, {
    member: {
      summary: "A member's duty officer",
      value: { email: 'astreinte@azur-drones.example.fr', password: 'vesubie-roya-crue-2026', role: 'MEMBER', memberId: EXAMPLE_ID.member },
    },
    directorate: {
      summary: "A directorate's legal officer",
      value: { email: 'conventions.dgscgc@interieur.example.fr', password: 'convention-cadre-2026', role: 'DIRECTORATE', directorateCode: 'DGSCGC' },
    },
    operator: {
      summary: 'A crisis-cell operator',
      value: { email: 'cic.operateur@interieur.example.fr', password: 'salle-de-crise-beauvau', role: 'CRISIS_OPERATOR' },
    },
  })
  @ApiCreatedResponse({ type: UserResponse, description: 'The user, without its password' })
  @ApiErrorResponse(400, 'memberId or directorateCode names nothing registered.', {
    code: 'REQUEST.INVALID',
    message: 'Invalid request: memberId does not name a registered member',
  })
  @ApiErrorResponse(400, 'The password is too short, too common or contains the email.', {
    code: 'PASSWORD.TOO_WEAK',
    message: 'The password is too weak: it is among the most common passwords',
  })
  @ApiErrorResponse(409, 'The email is already registered.', { code: 'USER.EMAIL_TAKEN', message: 'A user with email astreinte@azur-drones.example.fr already exists' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest): Promise<UserResponse> {
    return this.commands.execute(new CreateUserCommand(actorRef(actor), body));
  }

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'List users (ADMIN)' })
  @ApiOkResponse({ type: UserPage, description: 'A page of users by email, without passwords, each saying whether a second factor is enrolled' })
  list(@QueryParams() filter: UsersFilter): Promise<UserPage> {
    return this.queries.execute(new ListUsersQuery(filter));
  }

  @Get('me')
  @AnyRole()
  @ApiOperation({ summary: 'The signed-in user (any role)' })
  @ApiOkResponse({ type: UserAccountResponse, description: 'The user the token was issued to' })
  me(@CurrentActor() actor: Actor): Promise<UserAccountResponse> {
    return this.queries.execute(new GetUserQuery(actor.userId));
  }

  @Get(':id')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'One user, with whether a second factor is enrolled (ADMIN)' })
  @ApiOkResponse({ type: UserAccountResponse, description: 'The user, without its password' })
  @ApiErrorResponse(404, 'No such user.', { code: 'USER.NOT_FOUND', message: `No user with id ${EXAMPLE_ID.user}` })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserAccountResponse> {
    return this.queries.execute(new GetUserQuery(id));
  }

  @Post('me/password')
  @AnyRole()
  // The current password is asked for: a stolen token must not buy unlimited guesses at it.
  @RateLimit(({ loginThrottle: { limit, ttlSeconds } }) => [{ name: 'password-change', limit, windowSeconds: ttlSeconds, per: 'subject' }])
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change my password (any role)',
    description: 'Every token of the user ends, this one included: sign in again with the new password.',
  })
  @ApiNoContentResponse({ description: 'Changed; every earlier token is refused from now on' })
  @ApiErrorResponse(400, 'The new password is too short, too common or contains the email.', {
    code: 'PASSWORD.TOO_WEAK',
    message: 'The password is too weak: it contains the email address',
  })
  @ApiErrorResponse(400, 'The current password is wrong.', { code: 'USER.WRONG_PASSWORD', message: 'The current password is wrong' })
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordRequest): Promise<void> {
    await this.commands.execute(new ChangeOwnPasswordCommand(actorRef(actor), body.currentPassword, body.newPassword));
  }

  @Patch(':id')
  @Roles('ADMIN')
  @ApiOperation({
    summary: "Change a user's role or binding (ADMIN)",
    description: 'Validated like POST /users. The tokens the user holds carry the old role and end at once.',
  })
  @ApiRequestExamples(ReassignUserRequest, {
    directorate: { summary: 'Becomes a directorate officer', value: { role: 'DIRECTORATE', directorateCode: 'DGSCGC' } },
    member: { summary: 'Acts for another member', value: { memberId: EXAMPLE_ID.member } },
  })
  @ApiOkResponse({ type: UserResponse, description: 'The user as changed' })
  @ApiErrorResponse(400, 'The binding does not fit the role, or names nothing registered.', {
    code: 'REQUEST.INVALID',
    message: 'Invalid request: memberId is required for a MEMBER user',
  })
  @ApiErrorResponse(404, 'No such user.', { code: 'USER.NOT_FOUND', message: `No user with id ${EXAMPLE_ID.user}` })
  @ApiErrorResponse(409, 'The user is the last enabled ADMIN.', {
    code: 'USER.LAST_ADMIN',
    message: 'This is the last enabled ADMIN; enable or appoint another ADMIN first',
  })
  reassign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReassignUserRequest): Promise<UserResponse> {
    return this.commands.execute(new ReassignUserCommand(actorRef(actor), id, body));
  }

  @Post(':id/disable')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user (ADMIN)', description: 'The user can no longer sign in, and its tokens are refused at once.' })
  @ApiOkResponse({ type: UserResponse, description: 'The user, disabled' })
  @ApiErrorResponse(404, 'No such user.', { code: 'USER.NOT_FOUND', message: `No user with id ${EXAMPLE_ID.user}` })
  @ApiErrorResponse(409, 'Already disabled, the caller itself, or the last enabled ADMIN.', {
    code: 'USER.CANNOT_DISABLE_SELF',
    message: 'An ADMIN cannot disable its own account',
  })
  disable(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.commands.execute(new DisableUserCommand(actorRef(actor), id));
  }

  @Post(':id/enable')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled user (ADMIN)', description: 'The user signs in again; tokens from before it was disabled stay refused.' })
  @ApiOkResponse({ type: UserResponse, description: 'The user, enabled' })
  @ApiErrorResponse(404, 'No such user.', { code: 'USER.NOT_FOUND', message: `No user with id ${EXAMPLE_ID.user}` })
  @ApiErrorResponse(409, 'The user is not disabled.', { code: 'USER.NOT_DISABLED', message: `User ${EXAMPLE_ID.user} is not disabled` })
  enable(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.commands.execute(new EnableUserCommand(actorRef(actor), id));
  }
}
