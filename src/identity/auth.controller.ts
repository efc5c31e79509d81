import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowedDuringEnrolment, AnyRole, CurrentActor, Public } from '../common/auth/access.decorators.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../common/auth/browser-session.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { LogOutCommand } from './commands/account-commands.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { LogInCommand } from './commands/log-in.js';
import { OtpInvalidError, OtpRequiredError } from './domain/second-factor.errors.js';
import { LoginRequest, SessionResponse, TokenResponse } from './dto/user.dto.js';
import { GetUserQuery } from './queries/get-user.js';
import { RateLimit } from '../common/throttling/rate-limit.guard.js';
import { SignInProvidersResponse } from './dto/sign-in-providers.dto.js';
import { OidcIssuer } from './oidc/oidc-issuer.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly oidc: OidcIssuer,
  ) {}

  @Get('providers')
  @Public()
  @ApiOperation({
    summary: 'The ways to sign in on this service (anyone)',
    description: 'The web console reads it to offer "Se connecter avec ProConnect" only where OpenID Connect is configured.',
  })
  @ApiOkResponse({ type: SignInProvidersResponse })
  providers(): SignInProvidersResponse {
    return { oidc: this.oidc.configured };
  }

  @Post('login')
  @Public()
  @LoginRateLimit()
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
  @ApiErrorResponse(
    401,
    'The user has enrolled a second factor and `otp` was not given, or is wrong or already used: ask for the code (or a recovery code) and send it again.',
    { code: 'AUTH.OTP_REQUIRED', message: new OtpRequiredError().message },
    { code: 'AUTH.OTP_INVALID', message: new OtpInvalidError().message },
  )
  async login(@Body() body: LoginRequest): Promise<TokenResponse> {
    return (await this.commands.execute(new LogInCommand(body.email, body.password, { otp: body.otp }))).token;
  }

  @Post('session')
  @Public()
  @LoginRateLimit()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open a browser session (anyone; throttled like sign-in)',
    description:
      `Checks the credentials as \`POST /auth/login\` does (same limits, \`otp\` when enrolled) and sets the \`${SESSION_COOKIE}\` cookie ` +
      '(HttpOnly, Secure, SameSite=Strict, for `SESSION_TTL`) instead of answering a token: the web console signs in this way. ' +
      'Every state-changing request made with the cookie must come from the service\'s own pages (`Origin`), or it is refused with 403 `AUTH.CROSS_SITE_REQUEST`.',
  })
  @ApiOkResponse({ type: SessionResponse, description: 'Signed in; the session cookie is set' })
  @ApiErrorResponse(401, 'Unknown email or wrong password; both answer alike.', { code: 'AUTH.INVALID_CREDENTIALS', message: 'Invalid email or password' })
  @ApiErrorResponse(429, 'Too many attempts for this email or from this address; wait `Retry-After` seconds.', {
    code: 'RATE_LIMIT.EXCEEDED',
    message: 'Too many attempts; retry in 42 s',
  })
  async openSession(@Body() body: LoginRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionResponse> {
    const session = await this.commands.execute(new LogInCommand(body.email, body.password, { otp: body.otp, kind: 'session' }));
    setSessionCookie(reply, session.token.accessToken, session.token.expiresIn);
    return this.describe(session.actor, 'session');
  }

  @Get('session')
  @AnyRole()
  @AllowedDuringEnrolment()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Who is signed in, and how (any role)',
    description: 'The caller of this request, from its bearer token or its browser session: role, binding, how it signed in and when a second factor was last checked.',
  })
  @ApiOkResponse({ type: SessionResponse })
  session(@CurrentActor() actor: Actor): Promise<SessionResponse> {
    return this.describe(actor, actor.via ?? 'bearer');
  }

  @Post('logout')
  @AnyRole()
  @AllowedDuringEnrolment()
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out (any role)',
    description: "Ends every token of the user at once, on every API instance: this one and those of the user's other sessions.",
  })
  @ApiNoContentResponse({ description: 'Signed out; the token is refused from now on' })
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.commands.execute(new LogOutCommand(actorRef(actor)));
    clearSessionCookie(reply);
  }

  private async describe(actor: Actor, via: 'bearer' | 'session'): Promise<SessionResponse> {
    const user = await this.queries.execute(new GetUserQuery(actor.userId));
    return {
      userId: user.id,
      email: user.email,
      role: user.role,
      memberId: user.memberId,
      directorateCode: user.directorateCode,
      amr: [...(actor.amr ?? ['pwd'])],
      mfaAt: actor.mfaAt !== undefined ? new Date(actor.mfaAt * 1000).toISOString() : null,
      enrolmentPending: actor.enrolmentPending ?? false,
      via,
    };
  }
}

/**
 * Against password guessing: one account attacked from one address, one account attacked from
 * many addresses, and many accounts tried in turn. The per-account rule comes first, so that one
 * address alone spends at most `limit` of the account's attempts across addresses. Signing in for
 * a token and for a browser session count together.
 */
function LoginRateLimit() {
  return RateLimit(({ loginThrottle: { limit, ttlSeconds, emailLimit } }) => [
    { name: 'login-account', limit, windowSeconds: ttlSeconds, per: { bodyField: 'email' } },
    { name: 'login-email', limit: emailLimit, windowSeconds: ttlSeconds, per: { bodyField: 'email', acrossAddresses: true } },
    { name: 'login-address', limit: limit * 10, windowSeconds: ttlSeconds, per: 'address' },
  ]);
}
