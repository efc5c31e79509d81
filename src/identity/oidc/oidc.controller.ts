import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllowedDuringEnrolment, AnyRole, CurrentActor, Public } from '../../common/auth/access.decorators.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../common/auth/browser-session.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import type { ErrorKind } from '../../common/errors/domain-error.js';
import { ApiErrorResponse } from '../../common/http/openapi.js';
import { RateLimit } from '../../common/throttling/rate-limit.guard.js';
import { LogOutCommand } from '../commands/account-commands.js';
import { browserValueOf, clearBrowserCookie, OIDC_BROWSER_COOKIE, setBrowserCookie } from './browser-binding.js';
import { EndOidcSessionCommand } from './commands/end-oidc-session.js';
import { FinishOidcSignInCommand } from './commands/finish-oidc-sign-in.js';
import { StartOidcSignInCommand } from './commands/start-oidc-sign-in.js';
import { OidcIssuer } from './oidc-issuer.js';
import { OidcNotConfiguredError, OidcSignInRefusedError } from './oidc.errors.js';
import { OIDC_PAGE_HEADERS, type OidcPage, refusalPage, signedInPage } from './oidc-pages.js';

const STATUS_OF_REFUSAL: Partial<Record<ErrorKind, number>> = { INVALID: 400, FORBIDDEN: 403, SERVICE_UNAVAILABLE: 503 };
const NOT_CONFIGURED = { code: 'OIDC.NOT_CONFIGURED', message: 'Sign-in through an OpenID Connect provider is not configured on this service' };
const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } } as const;

/**
 * Sign-in through the State's OpenID Connect federation (ProConnect) or any OpenID provider:
 * the browser is sent there and comes back with a code, which opens the same browser session
 * as a password sign-in. These routes are navigations, so their answers are redirects and pages.
 */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly issuer: OidcIssuer,
  ) {}

  @Get('login')
  @Public()
  @OidcRateLimit()
  @ApiOperation({
    summary: 'Sign in through the OpenID provider (ProConnect): redirects there (anyone; throttled)',
    description:
      'Starts the authorization-code flow with PKCE (S256): a random `state` and `nonce`, kept on the server for ten minutes, used once, ' +
      `and bound to this browser by the \`${OIDC_BROWSER_COOKIE}\` cookie (HttpOnly, Secure, SameSite=Lax). The web console links here.`,
  })
  @ApiResponse({ status: 302, description: "Sent to the provider's authorization endpoint (`Location`)" })
  @ApiResponse({ status: 503, description: 'The provider cannot be reached: a French page says so.', content: HTML_PAGE })
  @ApiErrorResponse(404, 'OpenID Connect sign-in is not configured (`OIDC_ISSUER` and the rest).', NOT_CONFIGURED)
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.assertConfigured();
    try {
      const started = await this.commands.execute(new StartOidcSignInCommand(browserValueOf(request)));
      setBrowserCookie(reply, started.browserValue, started.maxAgeSeconds);
      await reply.code(302).header('cache-control', 'no-store').header('location', started.authorizationUrl).send();
    } catch (error) {
      await this.answerRefusal(reply, error);
    }
  }

  @Get('callback')
  @Public()
  @OidcRateLimit()
  @ApiOperation({
    summary: 'Where the OpenID provider sends the browser back (anyone; throttled)',
    description:
      'Checks the browser cookie and the `state` (unknown, used or expired attempts are refused), exchanges the code, checks the ID token, ' +
      'reads the email from the userinfo answer (signed or not) and opens a session for the existing Renfort account with that email ' +
      `(case-insensitive; nobody registers this way): the \`${SESSION_COOKIE}\` cookie is set, with \`amr\` \`fed\` and what the provider reported; ` +
      'a second factor reported by the provider counts as one checked now. Answers a small French page that sends the browser to `/`.',
  })
  @ApiResponse({ status: 200, description: 'Signed in: the session cookie is set and the page sends the browser to `/`.', content: HTML_PAGE })
  @ApiResponse({
    status: '4XX',
    description:
      'Refused, with a French page saying why and its code: 400 for an unknown, used or expired attempt, another browser, or a refusal by the provider; ' +
      '403 when no enabled Renfort account has the email (`OIDC.UNKNOWN_IDENTITY`, audited) or the role needs a second factor the provider did not report.',
    content: HTML_PAGE,
  })
  @ApiResponse({ status: 503, description: 'The provider cannot be reached: a French page says so.', content: HTML_PAGE })
  @ApiErrorResponse(404, 'OpenID Connect sign-in is not configured.', NOT_CONFIGURED)
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.assertConfigured();
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    try {
      const signedIn = await this.commands.execute(new FinishOidcSignInCommand(query, browserValueOf(request)));
      setSessionCookie(reply, signedIn.token.accessToken, signedIn.token.expiresIn);
      clearBrowserCookie(reply);
      await this.answer(reply, signedInPage('/'));
    } catch (error) {
      await this.answerRefusal(reply, error);
    }
  }

  @Post('logout')
  @AnyRole()
  @AllowedDuringEnrolment()
  @ApiBearerAuth()
  @ApiProduces('text/html')
  @ApiOperation({
    summary: 'Sign out, here and at the OpenID provider (any role)',
    description:
      'Ends every session and token of the user, as `POST /auth/logout` does, removes the session cookie, then sends the browser (303) to the ' +
      "provider's end-session endpoint with the sign-in's ID token (`id_token_hint`) and `OIDC_POST_LOGOUT_REDIRECT_URI`; a session not opened " +
      'through the provider, or a service where OpenID Connect is not configured, goes to that address, or `/`. Post it as a form from the console: ' +
      'a redirect to another site cannot be followed by a script.',
  })
  @ApiResponse({ status: 303, description: "Signed out; `Location` is the provider's end-session endpoint, or where to go next" })
  async logout(@CurrentActor() actor: Actor, @Res() reply: FastifyReply): Promise<void> {
    await this.commands.execute(new LogOutCommand(actorRef(actor)));
    clearSessionCookie(reply);
    // Signing out never depends on the provider: without one configured, it is the plain sign-out.
    const next = this.issuer.configured ? await this.commands.execute(new EndOidcSessionCommand(actor)) : '/';
    await reply.code(303).header('cache-control', 'no-store').header('location', next).send();
  }

  private assertConfigured(): void {
    if (!this.issuer.configured) throw new OidcNotConfiguredError();
  }

  /** A refusal is a page for the person in the browser; anything else goes to the API's error filter. */
  private async answerRefusal(reply: FastifyReply, error: unknown): Promise<void> {
    if (!(error instanceof OidcSignInRefusedError)) throw error;
    await this.answer(reply, refusalPage(STATUS_OF_REFUSAL[error.kind] ?? 400, error.title, error.explanation, error.code));
  }

  private async answer(reply: FastifyReply, page: OidcPage): Promise<void> {
    await reply.code(page.status).headers(OIDC_PAGE_HEADERS).send(page.html);
  }
}

/** Each sign-in writes a row: a flood from one address is refused like password guessing is. */
function OidcRateLimit() {
  return RateLimit(({ loginThrottle: { limit, ttlSeconds } }) => [{ name: 'oidc-address', limit: limit * 10, windowSeconds: ttlSeconds, per: 'address' }]);
}
