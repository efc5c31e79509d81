import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import { Clock } from '../../../common/time/clock.js';
import { browserHashOf, newBrowserValue } from '../browser-binding.js';
import { OidcIssuer } from '../oidc-issuer.js';
import { deleteEndedOidcSignIns, recordOidcSignIn } from '../persistence/oidc-sign-in.store.js';

/** How long a person has at the provider before the attempt expires. */
export const OIDC_ATTEMPT_TTL_SECONDS = 600;

export interface StartedOidcSignIn {
  /** Where to send the browser: the provider's authorization endpoint. */
  authorizationUrl: string;
  /** The browser's binding value, for its cookie. */
  browserValue: string;
  maxAgeSeconds: number;
}

export class StartOidcSignInCommand extends Command<StartedOidcSignIn> {
  /** `browserValue`: the one the browser already holds, if any. */
  constructor(readonly browserValue: string | undefined) {
    super();
  }
}

/**
 * Begins a sign-in through the provider: the authorization-code flow with PKCE (S256), a random
 * state and nonce, all kept on the server for ten minutes and bound to this browser.
 */
@CommandHandler(StartOidcSignInCommand)
export class StartOidcSignInHandler implements ICommandHandler<StartOidcSignInCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly issuer: OidcIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ browserValue: given }: StartOidcSignInCommand): Promise<StartedOidcSignIn> {
    const settings = this.issuer.settings;
    const configuration = await this.issuer.configuration();
    const browserValue = given ?? newBrowserValue();
    // 32 random bytes each, base64url: 43 characters.
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      await deleteEndedOidcSignIns(manager, now);
      await recordOidcSignIn(manager, {
        state,
        nonce,
        codeVerifier,
        browserHash: browserHashOf(browserValue),
        createdAt: now,
        expiresAt: new Date(now.getTime() + OIDC_ATTEMPT_TTL_SECONDS * 1000),
      });
    });
    const parameters: Record<string, string> = {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    };
    // ProConnect says how the person signed in (amr) only when asked for it by name.
    if (configuration.serverMetadata().claims_parameter_supported) {
      parameters.claims = JSON.stringify({ id_token: { amr: { essential: true } } });
    }
    return {
      authorizationUrl: client.buildAuthorizationUrl(configuration, parameters).href,
      browserValue,
      maxAgeSeconds: OIDC_ATTEMPT_TTL_SECONDS,
    };
  }
}
