import { Body, type CanActivate, Controller, Delete, type ExecutionContext, HttpCode, Injectable, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowedDuringEnrolment, AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { setSessionCookie } from '../common/auth/browser-session.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import type { DomainError } from '../common/errors/domain-error.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { IDEMPOTENCY_HEADER } from '../common/idempotency/idempotency.interceptor.js';
import { RateLimit } from '../common/throttling/rate-limit.guard.js';
import { BeginTotpEnrolmentCommand } from './commands/begin-totp-enrolment.js';
import { ConfirmTotpEnrolmentCommand } from './commands/confirm-totp-enrolment.js';
import { ResetSecondFactorCommand } from './commands/reset-second-factor.js';
import { StepUpCommand } from './commands/step-up.js';
import {
  CannotResetOwnSecondFactorError,
  SecondFactorAlreadyEnrolledError,
  SecondFactorCodeInvalidError,
  SecondFactorNotEnrolledError,
} from './domain/second-factor.errors.js';
import { ConfirmedTotpResponse, ConfirmTotpRequest, SecondFactorCheckedResponse, StepUpRequest, TotpEnrolmentResponse } from './dto/second-factor.dto.js';
import type { SignedIn } from './session-tokens.js';

/** The documented example of an error: the very code and message the service answers. */
const example = (error: DomainError) => ({ code: error.code, message: error.message });

/** A stolen token must not buy unlimited guesses at six digits: the code routes count like sign-in, per user. */
const CodeRateLimit = (name: string) =>
  RateLimit(({ loginThrottle: { limit, ttlSeconds } }) => [{ name, limit, windowSeconds: ttlSeconds, per: 'subject' }]);

/**
 * Answers that carry credentials (a token, recovery codes) are never kept for an Idempotency-Key
 * replay, which would store them in the database in clear: the key is set aside before the
 * idempotency interceptor sees it, and a retry is a new request.
 */
@Injectable()
class CredentialsNeverStored implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    delete context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[IDEMPOTENCY_HEADER];
    return true;
  }
}

/**
 * The second factor (TOTP, RFC 6238): enrolment by the user itself, reset by an ADMIN, and the
 * step-up that proves it again before a decision that asks for a recent one.
 */
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class MfaController {
  constructor(private readonly commands: CommandBus) {}

  @Post('users/me/mfa/totp')
  @ApiTags('users')
  @AnyRole()
  @AllowedDuringEnrolment()
  @UseGuards(CredentialsNeverStored)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start enrolling a TOTP second factor (any role)',
    description:
      'A new secret for an authenticator app, pending until `POST /users/me/mfa/totp/confirm` receives a code of it; ' +
      'it replaces an earlier pending one. Open to a user who must enrol before anything else. The secret is never kept for an Idempotency-Key replay.',
  })
  @ApiOkResponse({ type: TotpEnrolmentResponse, description: 'The secret, shown once, and its otpauth:// URI' })
  @ApiErrorResponse(409, 'A second factor is already enrolled: an ADMIN resets it first.', example(new SecondFactorAlreadyEnrolledError()))
  beginTotp(@CurrentActor() actor: Actor): Promise<TotpEnrolmentResponse> {
    return this.commands.execute(new BeginTotpEnrolmentCommand(actor));
  }

  @Post('users/me/mfa/totp/confirm')
  @ApiTags('users')
  @AnyRole()
  @AllowedDuringEnrolment()
  @CodeRateLimit('mfa-confirm')
  @UseGuards(CredentialsNeverStored)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm the TOTP second factor with a first code (any role)',
    description:
      'From now on the user signs in with a code as `otp`. Answers ten recovery codes, shown this once, and a fresh token ' +
      '(or the session cookie set again) saying the second factor was just checked; every other token of the user ends. ' +
      'Never kept for an Idempotency-Key replay: the answer holds credentials.',
  })
  @ApiOkResponse({ type: ConfirmedTotpResponse, description: 'Enrolled: the recovery codes and the new token' })
  @ApiErrorResponse(400, 'The code is wrong or expired.', example(new SecondFactorCodeInvalidError('code')))
  @ApiErrorResponse(
    409,
    'No enrolment under way, or already confirmed.',
    example(new SecondFactorNotEnrolledError('No enrolment is under way; start one (POST /users/me/mfa/totp)')),
    example(new SecondFactorAlreadyEnrolledError()),
  )
  async confirmTotp(
    @CurrentActor() actor: Actor,
    @Body() body: ConfirmTotpRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConfirmedTotpResponse> {
    const { recoveryCodes, signedIn } = await this.commands.execute(new ConfirmTotpEnrolmentCommand(actor, body.code));
    return { ...checked(signedIn, reply), recoveryCodes };
  }

  @Delete('users/:id/mfa')
  @ApiTags('users')
  @Roles('ADMIN')
  @HttpCode(204)
  @ApiOperation({
    summary: "Reset a user's second factor, for a lost device (ADMIN)",
    description: 'Removes its TOTP secret and recovery codes and ends its sessions; the user signs in with its password and enrols again.',
  })
  @ApiNoContentResponse({ description: 'Reset; the user enrols again' })
  @ApiErrorResponse(404, 'No such user.', { code: 'USER.NOT_FOUND', message: `No user with id ${EXAMPLE_ID.user}` })
  @ApiErrorResponse(
    409,
    'The user has no second factor, or it is the caller (another ADMIN resets it).',
    example(new SecondFactorNotEnrolledError(`User ${EXAMPLE_ID.user} has no second factor to reset`)),
    example(new CannotResetOwnSecondFactorError()),
  )
  async reset(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.commands.execute(new ResetSecondFactorCommand(actorRef(actor), id));
  }

  @Post('auth/step-up')
  @ApiTags('auth')
  @AnyRole()
  @CodeRateLimit('mfa-step-up')
  @UseGuards(CredentialsNeverStored)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Prove the second factor again, for a decision that asks for a recent one (any role)',
    description:
      'With the current code of the authenticator app (or a recovery code): a fresh token, or the session cookie set again, whose ' +
      '`mfaAt` is now. Authorizing an activation asks for one checked within `MFA_STEP_UP_WINDOW` when `AUTHORIZATION_REQUIRES_MFA` is on.',
  })
  @ApiOkResponse({ type: SecondFactorCheckedResponse, description: 'The second factor checked; the new token' })
  @ApiErrorResponse(400, 'The code is wrong, expired or already used.', example(new SecondFactorCodeInvalidError('otp')))
  @ApiErrorResponse(409, 'The user has no second factor: it enrols one first.', example(new SecondFactorNotEnrolledError()))
  async stepUp(@CurrentActor() actor: Actor, @Body() body: StepUpRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SecondFactorCheckedResponse> {
    return checked(await this.commands.execute(new StepUpCommand(actor, body.otp)), reply);
  }
}

/** The answer of a second factor just checked: the token, or, for the browser session, its cookie set again. */
function checked({ token, actor }: SignedIn, reply: FastifyReply): SecondFactorCheckedResponse {
  const mfaAt = new Date(actor.mfaAt! * 1000).toISOString();
  if (actor.via === 'session') {
    setSessionCookie(reply, token.accessToken, token.expiresIn);
    return { token: null, amr: [...actor.amr!], mfaAt };
  }
  return { token, amr: [...actor.amr!], mfaAt };
}
