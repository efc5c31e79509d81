import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { AuditLog } from '../../../audit/audit-log.js';
import { refusalOf } from '../../../common/auth/token-revocation.js';
import { SYSTEM_ACTOR } from '../../../common/auth/role.js';
import { Clock } from '../../../common/time/clock.js';
import type { User } from '../../domain/user.js';
import { loadSecondFactor } from '../../persistence/second-factor.store.js';
import { UserSchema } from '../../persistence/user.schema.js';
import { SessionTokens, type SignedIn } from '../../session-tokens.js';
import { browserHashOf } from '../browser-binding.js';
import { OidcIssuer } from '../oidc-issuer.js';
import { type OidcRefusalReason, OidcSignInRefusedError } from '../oidc.errors.js';
import { claimOidcSignIn, recordOidcRefusal, recordOidcSession } from '../persistence/oidc-sign-in.store.js';
import { reportsSecondFactor, sessionMethods } from '../second-factor-methods.js';

export class FinishOidcSignInCommand extends Command<SignedIn> {
  /**
   * `query`: the callback's query string as received (code, state, iss, or error); `browserValue`:
   * the value of the browser's binding cookie, if it sent one.
   */
  constructor(
    readonly query: string,
    readonly browserValue: string | undefined,
  ) {
    super();
  }
}

/** Who the provider says signed in. */
interface ProvidedIdentity {
  subject: string;
  email: string | null;
  amr: string[];
}

/**
 * Ends a sign-in through the provider: the attempt is taken once (state, browser, age), the code
 * exchanged with the PKCE verifier, the ID token checked (issuer, audience, nonce, signature), the
 * email read from the userinfo answer (signed or plain JSON), and the identity mapped to an
 * existing Renfort account by that email: nobody registers this way. A refusal is recorded and
 * audited when the provider vouched for someone Renfort does not let in.
 */
@CommandHandler(FinishOidcSignInCommand)
export class FinishOidcSignInHandler implements ICommandHandler<FinishOidcSignInCommand> {
  private readonly logger = new Logger(FinishOidcSignInHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly issuer: OidcIssuer,
    private readonly tokens: SessionTokens,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ query, browserValue }: FinishOidcSignInCommand): Promise<SignedIn> {
    const settings = this.issuer.settings;
    const parameters = new URLSearchParams(query);
    const state = parameters.get('state');
    if (!state) throw new OidcSignInRefusedError('UNKNOWN_STATE', 'the answer carries no state');

    const attempt = await this.db.transaction((manager) =>
      claimOidcSignIn(manager, state, browserValue ? browserHashOf(browserValue) : null, this.clock.now()),
    );
    if (typeof attempt === 'string') throw new OidcSignInRefusedError(attempt);

    const identity = await this.identityFromProvider(parameters, attempt);
    const refuse = async (reason: OidcRefusalReason, user: User | null): Promise<never> => {
      await this.db.transaction(async (manager) => {
        await recordOidcRefusal(manager, attempt.id, identity.subject, user?.id ?? null);
        await this.audit.append(manager, SYSTEM_ACTOR, [
          {
            aggregateType: 'OidcSignIn',
            aggregateId: attempt.id,
            type: 'OidcSignInRefused',
            payload: { reason, issuer: settings.issuer, subject: identity.subject, email: identity.email, userId: user?.id ?? null, amr: identity.amr },
          },
        ]);
      });
      this.logger.warn({ reason, subject: identity.subject, email: identity.email }, 'FinishOidcSignInHandler: refused sign-in');
      throw new OidcSignInRefusedError(reason);
    };

    if (identity.email === null) return refuse('NO_EMAIL', null);
    const user = await this.db.getRepository(UserSchema).findOneBy({ email: identity.email });
    if (!user) return refuse('UNKNOWN_IDENTITY', null);
    const memberWithdrawn =
      user.memberId !== null && (await this.db.query(`SELECT 1 FROM member WHERE id = $1 AND status = 'WITHDRAWN'`, [user.memberId])).length > 0;
    if (refusalOf({ disabled: user.disabled, memberWithdrawn })) return refuse('ACCOUNT_DISABLED', user);
    const secondFactor = reportsSecondFactor(identity.amr);
    // A role that must prove who it is twice, or a user who enrolled a second factor here, gets no
    // session from a provider that checked only once: a password sign-in would have asked for the code.
    if (!secondFactor && (this.config.mfa.requiredRoles.includes(user.role) || (await loadSecondFactor(this.db.manager, user.id))?.confirmed)) {
      return refuse('SECOND_FACTOR_REQUIRED', user);
    }

    const now = this.clock.now();
    const amr = sessionMethods(identity.amr);
    const signedIn = await this.tokens.issue(
      user,
      { amr, ...(secondFactor ? { mfaAt: Math.floor(now.getTime() / 1000) } : {}), signInId: attempt.id },
      'session',
    );
    await this.db.transaction(async (manager) => {
      await recordOidcSession(manager, attempt.id, {
        subject: identity.subject,
        userId: user.id,
        idToken: identity.idToken,
        expiresAt: new Date(now.getTime() + signedIn.token.expiresIn * 1000),
      });
      await this.audit.append(manager, { id: user.id, role: user.role }, [
        {
          aggregateType: 'User',
          aggregateId: user.id,
          type: 'UserSignedIn',
          payload: { method: 'oidc', issuer: settings.issuer, subject: identity.subject, amr, secondFactor, signInId: attempt.id },
        },
      ]);
    });
    return signedIn;
  }

  /** The code exchanged and the identity read, or a refusal saying whether the provider answered. */
  private async identityFromProvider(
    parameters: URLSearchParams,
    attempt: { nonce: string; codeVerifier: string },
  ): Promise<ProvidedIdentity & { idToken: string }> {
    const settings = this.issuer.settings;
    const configuration = await this.issuer.configuration();
    const callbackUrl = new URL(settings.redirectUri);
    callbackUrl.search = parameters.toString();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: parameters.get('state')!,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      const amr = Array.isArray(claims.amr) ? claims.amr.filter((method): method is string => typeof method === 'string') : [];
      return { subject: claims.sub, email: emailOf('email' in userinfo ? userinfo : claims), amr, idToken: tokens.id_token! };
    } catch (error) {
      const unreachable =
        (error instanceof TypeError && error.message === 'fetch failed') ||
        (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
      const detail =
        error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError
          ? `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`
          : (error as Error).message;
      this.logger.warn({ detail }, 'FinishOidcSignInHandler: the provider did not confirm the sign-in');
      throw new OidcSignInRefusedError(unreachable ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_ERROR', detail);
    }
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The verified email of a set of claims, lowercased as accounts keep it; a provider saying it is unverified gives none. */
function emailOf(claims: Record<string, unknown>): string | null {
  if (typeof claims.email !== 'string' || claims.email_verified === false) return null;
  const email = claims.email.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}
