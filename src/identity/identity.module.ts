import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AuditModule } from '../audit/audit.module.js';
import { AuthController } from './auth.controller.js';
import { ACCOUNT_COMMAND_HANDLERS } from './commands/account-commands.js';
import { CreateUserHandler } from './commands/create-user.js';
import { EnsureBootstrapAdminCommand, EnsureBootstrapAdminHandler } from './commands/ensure-bootstrap-admin.js';
import { LogInHandler } from './commands/log-in.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionTokens } from './session-tokens.js';
import { GetUserHandler } from './queries/get-user.js';
import { ListUsersHandler } from './queries/list-users.js';
import { UsersController } from './users.controller.js';

const commandHandlers = [CreateUserHandler, LogInHandler, EnsureBootstrapAdminHandler, ...ACCOUNT_COMMAND_HANDLERS];
const queryHandlers = [GetUserHandler, ListUsersHandler];

@Module({
  imports: [AuditModule],
  controllers: [AuthController, UsersController],
  providers: [PasswordHasher, SessionTokens, ...commandHandlers, ...queryHandlers],
  exports: [PasswordHasher, SessionTokens],
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(private readonly commands: CommandBus) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.commands.execute(new EnsureBootstrapAdminCommand());
  }
}
