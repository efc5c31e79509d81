import { Body, Controller, Get, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { ApiErrorResponse, ApiRequestExamples } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { CreateUserCommand } from './commands/create-user.js';
import { CreateUserRequest, UserPage, UserResponse, UsersFilter } from './dto/user.dto.js';
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
  @ApiErrorResponse(409, 'The email is already registered.', { code: 'USER.EMAIL_TAKEN', message: 'A user with email astreinte@azur-drones.example.fr already exists' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest): Promise<UserResponse> {
    return this.commands.execute(new CreateUserCommand(actorRef(actor), body));
  }

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'List users (ADMIN)' })
  @ApiOkResponse({ type: UserPage, description: 'A page of users by email, without passwords' })
  list(@QueryParams() filter: UsersFilter): Promise<UserPage> {
    return this.queries.execute(new ListUsersQuery(filter));
  }

  @Get('me')
  @AnyRole()
  @ApiOperation({ summary: 'The signed-in user (any role)' })
  @ApiOkResponse({ type: UserResponse, description: 'The user the token was issued to' })
  me(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.queries.execute(new GetUserQuery(actor.userId));
  }
}
