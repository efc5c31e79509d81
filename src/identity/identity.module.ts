import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AuditModule } from '../audit/audit.module.js';
import { AuthController } from './auth.controller.js';
import { ACCOUNT_COMMAND_HANDLERS } from './commands/account-commands.js';
import { CreateUserHandler } from './commands/create-user.js';
import { EnsureBootstrapAdminCommand, EnsureBootstrapAdminHandler } from './commands/ensure-bootstrap-admin.js';
import { LogInHandler } from './commands/log-in.js';
import { BeginTotpEnrolmentHandler } from './commands/begin-totp-enrolment.js';
import { ConfirmTotpEnrolmentHandler } from './commands/confirm-totp-enrolment.js';
import { ResetSecondFactorHandler } from './commands/reset-second-factor.js';
import { StepUpHandler } from './commands/step-up.js';
import { MfaController } from './mfa.controller.js';
import { OIDC_PROVIDERS, OidcController } from './oidc/oidc.parts.js';
import { SecondFactorCheck } from './second-factor/second-factor-check.js';
import { SecretBox } from './second-factor/secret-box.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionTokens } from './session-tokens.js';
import { GetUserHandler } from './queries/get-user.js';
import { ListUsersHandler } from './queries/list-users.js';
import { UsersController } from './users.controller.js';

const commandHandlers = [CreateUserHandler, LogInHandler, EnsureBootstrapAdminHandler, ...ACCOUNT_COMMAND_HANDLERS];
const secondFactorHandlers = [BeginTotpEnrolmentHandler, ConfirmTotpEnrolmentHandler, ResetSecondFactorHandler, StepUpHandler];
const queryHandlers = [GetUserHandler, ListUsersHandler];

@Module({
  imports: [AuditModule],
  controllers: [AuthController, UsersController, MfaController, OidcController],
  providers: [PasswordHasher, SessionTokens, SecretBox, SecondFactorCheck, ...commandHandlers, ...secondFactorHandlers, ...queryHandlers, ...OIDC_PROVIDERS],
  exports: [PasswordHasher, SessionTokens],
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(private readonly commands: CommandBus) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.commands.execute(new EnsureBootstrapAdminCommand());
  }
}
