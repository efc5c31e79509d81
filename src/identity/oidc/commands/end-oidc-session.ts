import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../../common/auth/role.js';
import { Clock } from '../../../common/time/clock.js';
import { OidcIssuer } from '../oidc-issuer.js';
import { endOidcSessions } from '../persistence/oidc-sign-in.store.js';

export class EndOidcSessionCommand extends Command<string> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/**
 * After the Renfort session ended: forgets the provider's ID tokens of the user's sessions and
 * answers where the browser goes next: the provider's end-session endpoint with this session's ID
 * token as hint, so that the person is signed out there too; without one (a session opened with a
 * password, a provider without that endpoint or not answering), the post-logout address or `/`.
 */
@CommandHandler(EndOidcSessionCommand)
export class EndOidcSessionHandler implements ICommandHandler<EndOidcSessionCommand> {
  private readonly logger = new Logger(EndOidcSessionHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly issuer: OidcIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ actor }: EndOidcSessionCommand): Promise<string> {
    const settings = this.issuer.settings;
    // A session from the provider whose token was issued again (a step-up) keeps `fed` but may no longer name its sign-in.
    const which = actor.signInId ? { signInId: actor.signInId } : actor.amr?.includes('fed') ? 'latest' : null;
    const idToken = await this.db.transaction((manager) => endOidcSessions(manager, actor.userId, which, this.clock.now()));
    const fallback = settings.postLogoutRedirectUri ?? '/';
    if (idToken === null) return fallback;
    try {
      const configuration = await this.issuer.configuration();
      if (!configuration.serverMetadata().end_session_endpoint) return fallback;
      return client.buildEndSessionUrl(configuration, {
        id_token_hint: idToken,
        ...(settings.postLogoutRedirectUri ? { post_logout_redirect_uri: settings.postLogoutRedirectUri } : {}),
      }).href;
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'EndOidcSessionHandler: no sign-out at the provider');
      return fallback;
    }
  }
}
