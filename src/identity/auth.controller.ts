import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators.js';
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
  @ApiOperation({ summary: 'Sign in and receive a bearer token (anyone; throttled)' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; wait and retry' })
  login(@Body() body: LoginRequest): Promise<TokenResponse> {
    return this.commands.execute(new LogInCommand(body.email, body.password));
  }
}
