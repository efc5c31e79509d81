import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators.js';
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
  // Against password guessing: one account attacked from one address, and many accounts tried in turn.
  @RateLimit(({ loginThrottle: { limit, ttlSeconds } }) => [
    { name: 'login-account', limit, windowSeconds: ttlSeconds, per: { bodyField: 'email' } },
    { name: 'login-address', limit: limit * 10, windowSeconds: ttlSeconds, per: 'address' },
  ])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in and receive a bearer token (anyone; throttled)',
    description: 'Attempts are counted per address and email, and per address (`LOGIN_THROTTLE_LIMIT` per `LOGIN_THROTTLE_TTL_SECONDS`).',
  })
  @ApiOkResponse({ type: TokenResponse, description: 'A bearer token for `Authorization: Bearer <token>`' })
  @ApiErrorResponse(401, 'Unknown email or wrong password; both answer alike.', { code: 'AUTH.INVALID_CREDENTIALS', message: 'Invalid email or password' })
  @ApiErrorResponse(429, 'Too many attempts for this email or from this address; wait `Retry-After` seconds.', {
    code: 'RATE_LIMIT.EXCEEDED',
    message: 'Too many attempts; retry in 42 s',
  })
  login(@Body() body: LoginRequest): Promise<TokenResponse> {
    return this.commands.execute(new LogInCommand(body.email, body.password));
  }
}
