import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { AppConfig } from '../../../config/app-config.js';
import type { OidcSettings } from '../../../config/oidc-config.js';
import { OidcNotConfiguredError, OidcSignInRefusedError } from './oidc.errors.js';

/** Seconds any one request to the provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * The OpenID provider as this service's client sees it: its metadata is discovered at the first
 * sign-in, not at start-up (a provider down must not stop the service; password sign-in goes on),
 * then kept. A failed discovery is not kept: the next sign-in tries again.
 */
@Injectable()
export class OidcIssuer {
  private readonly logger = new Logger(OidcIssuer.name);
  private discovered: Promise<client.Configuration> | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  get settings(): OidcSettings {
    if (!this.config.oidc) throw new OidcNotConfiguredError();
    return this.config.oidc;
  }

  get configured(): boolean {
    return this.config.oidc !== null;
  }

  /** The client's configuration at the provider, or a 503 refusal when the provider cannot be reached. */
  async configuration(): Promise<client.Configuration> {
    const settings = this.settings;
    if (!this.discovered) {
      const discovering = this.discover(settings);
      this.discovered = discovering;
      discovering.catch(() => {
        if (this.discovered === discovering) this.discovered = null;
      });
    }
    try {
      return await this.discovered;
    } catch (error) {
      this.logger.warn({ issuer: settings.issuer, error: (error as Error).message }, 'OidcIssuer: discovery failed');
      throw new OidcSignInRefusedError('PROVIDER_UNAVAILABLE', (error as Error).message);
    }
  }

  private async discover(settings: OidcSettings): Promise<client.Configuration> {
    const configuration = await client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret,
      client.ClientSecretPost(settings.clientSecret),
      { execute: settings.allowInsecureHttp ? [client.allowInsecureRequests] : [], timeout: PROVIDER_TIMEOUT_SECONDS },
    );
    // The ID token and a signed userinfo answer are checked against the provider's published keys,
    // on top of the TLS connection they came by.
    client.enableNonRepudiationChecks(configuration);
    return configuration;
  }
}
