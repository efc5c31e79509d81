import { Body, Controller, Get, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
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
  @ApiOperation({ summary: 'Create a user with one role (ADMIN)' })
  @ApiCreatedResponse({ type: UserResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest): Promise<UserResponse> {
    return this.commands.execute(new CreateUserCommand(actorRef(actor), body));
  }

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'List users (ADMIN)' })
  @ApiOkResponse({ type: UserPage })
  list(@QueryParams() filter: UsersFilter): Promise<UserPage> {
    return this.queries.execute(new ListUsersQuery(filter));
  }

  @Get('me')
  @AnyRole()
  @ApiOperation({ summary: 'The signed-in user (any role)' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.queries.execute(new GetUserQuery(actor.userId));
  }
}
