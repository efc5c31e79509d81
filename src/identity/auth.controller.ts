import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Public } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { LogOutCommand } from './commands/account-commands.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { LogInCommand } from './commands/log-in.js';
import { LoginRequest, TokenResponse } from './dto/user.dto.js';
import { RateLimit } from '../common/throttling/rate-limit.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly commands: CommandBus) {}

  @Post('login')
  @Public()
  // Against password guessing: one account attacked from one address, one account attacked from
  // many addresses, and many accounts tried in turn. The per-account rule comes first, so that one
  // address alone spends at most `limit` of the account's attempts across addresses.
  @RateLimit(({ loginThrottle: { limit, ttlSeconds, emailLimit } }) => [
    { name: 'login-account', limit, windowSeconds: ttlSeconds, per: { bodyField: 'email' } },
    { name: 'login-email', limit: emailLimit, windowSeconds: ttlSeconds, per: { bodyField: 'email', acrossAddresses: true } },
    { name: 'login-address', limit: limit * 10, windowSeconds: ttlSeconds, per: 'address' },
  ])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in and receive a bearer token (anyone; throttled)',
    description:
      'Attempts are counted per address and email (`LOGIN_THROTTLE_LIMIT` per `LOGIN_THROTTLE_TTL_SECONDS`), per email from all addresses ' +
      '(`LOGIN_THROTTLE_EMAIL_LIMIT`), and per address (ten times `LOGIN_THROTTLE_LIMIT`). Password checks are computed a few at a time ' +
      '(`PASSWORD_HASH_CONCURRENCY`, `PASSWORD_HASH_QUEUE` waiting): beyond that the answer is 503, to retry after `Retry-After` seconds.',
  })
  @ApiOkResponse({ type: TokenResponse, description: 'A bearer token for `Authorization: Bearer <token>`' })
  @ApiErrorResponse(401, 'Unknown email or wrong password; both answer alike.', { code: 'AUTH.INVALID_CREDENTIALS', message: 'Invalid email or password' })
  @ApiErrorResponse(429, 'Too many attempts for this email or from this address; wait `Retry-After` seconds.', {
    code: 'RATE_LIMIT.EXCEEDED',
    message: 'Too many attempts; retry in 42 s',
  })
  @ApiErrorResponse(503, 'Too many sign-ins are being checked at this moment; retry after `Retry-After` seconds.', {
    code: 'AUTH.BUSY',
    message: 'Too many sign-ins are being checked; retry in 3 s',
  })
  login(@Body() body: LoginRequest): Promise<TokenResponse> {
    return this.commands.execute(new LogInCommand(body.email, body.password));
  }

  @Post('logout')
  @AnyRole()
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out (any role)',
    description: "Ends every token of the user at once, on every API instance: this one and those of the user's other sessions.",
  })
  @ApiNoContentResponse({ description: 'Signed out; the token is refused from now on' })
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.commands.execute(new LogOutCommand(actorRef(actor)));
  }
}
