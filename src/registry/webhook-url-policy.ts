import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { AppConfig } from '../../config/app-config.js';
import { InvalidInputError } from '../common/errors/domain-error.js';
import { describeKind, nonPublicKind } from './domain/public-address.js';

export class WebhookUrlNotAllowedError extends InvalidInputError {
  constructor(problem: string) {
    super('WEBHOOK.URL_NOT_ALLOWED', `webhookUrl ${problem}`, [{ field: 'webhookUrl', problems: [problem] }]);
  }
}

/** Every address a host name resolves to. */
export type ResolveHost = (host: string) => Promise<string[]>;

const resolveWithSystem: ResolveHost = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Where the service may send a member's webhooks, so that a member cannot make it call into the
 * networks it runs in (server-side request forgery). In production: https only, to hosts whose
 * every address is public. Outside production the loopback stays open, over http too, for local
 * receivers (tests, the demo); every other non-public address is refused there as well. Hosts
 * named in WEBHOOK_ALLOWED_HOSTS (on-premises receivers) skip the address rule, never the scheme.
 *
 * The same rules run twice: when the URL is registered (resolving the name), and on every
 * delivery inside the connection's own lookup, so that a name re-pointed to an internal address
 * after registration (DNS rebinding) is refused before any byte is sent.
 */
export class WebhookUrlPolicy {
  private readonly production: boolean;
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(
    config: Pick<AppConfig, 'nodeEnv' | 'webhook'>,
    private readonly resolve: ResolveHost = resolveWithSystem,
  ) {
    this.production = config.nodeEnv === 'production';
    this.allowedHosts = new Set(config.webhook.allowedHosts.map((host) => hostOf(new URL(`https://${host}`))));
  }

  /** At registration: resolves the host and throws WebhookUrlNotAllowedError naming the rule broken. */
  async assertAllowed(webhookUrl: string): Promise<void> {
    const url = new URL(webhookUrl);
    const early = this.refusalBeforeResolving(url);
    if (early) throw new WebhookUrlNotAllowedError(early);
    if (early === null) return;
    let addresses: string[];
    try {
      addresses = await this.resolve(hostOf(url));
    } catch {
      addresses = [];
    }
    // A name that does not resolve is refused in production; elsewhere it may be a receiver not
    // yet reachable from a development machine, and each delivery checks its addresses anyway.
    if (addresses.length === 0 && this.production) {
      throw new WebhookUrlNotAllowedError(`host ${url.hostname} does not resolve; only hosts with public addresses are allowed in production`);
    }
    const problem = this.addressRefusal(url, addresses, false);
    if (problem) throw new WebhookUrlNotAllowedError(problem);
  }

  /**
   * For a delivery: throws WebhookUrlNotAllowedError when the URL is refused without resolving
   * (scheme, address literal), else answers the lookup its connection must use.
   */
  connectionLookup(url: URL): LookupFunction {
    const problem = this.refusalBeforeResolving(url);
    if (problem) throw new WebhookUrlNotAllowedError(problem);
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (resolved) => {
          const refusal = this.addressRefusal(url, resolved, false);
          if (refusal) return callback(new WebhookUrlNotAllowedError(refusal), '');
          const addresses = resolved.filter((address) => !options.family || isIP(address) === options.family);
          if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '');
          if (options.all) return callback(null, addresses.map((address) => ({ address, family: isIP(address) })));
          callback(null, addresses[0], isIP(addresses[0]));
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
    };
  }

  /** A problem, null when allowed, undefined when the host is a name still to resolve. */
  private refusalBeforeResolving(url: URL): string | null | undefined {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
    if (url.protocol === 'http:' && this.production) return 'must use https in production';
    if (isIP(hostOf(url)) === 0) return undefined;
    return this.addressRefusal(url, [hostOf(url)], true);
  }

  private addressRefusal(url: URL, addresses: string[], literal: boolean): string | null {
    const onPremises = this.allowedHosts.has(hostOf(url));
    for (const address of addresses) {
      const kind = nonPublicKind(address);
      if (kind === null || onPremises || (kind === 'loopback' && !this.production)) continue;
      // The addresses a name resolves to are not echoed: members would learn the service's
      // internal names and where they point.
      const where = literal ? `points at ${url.hostname}, ${describeKind(kind)}` : `host ${url.hostname} resolves to ${describeKind(kind)}`;
      return `${where}; only public addresses are allowed${this.production ? ' in production' : ' (and the loopback, outside production)'}`;
    }
    if (url.protocol === 'http:' && !(addresses.length > 0 && addresses.every((address) => nonPublicKind(address) === 'loopback'))) {
      return 'must use https (plain http is accepted only to the loopback address, outside production)';
    }
    return null;
  }
}
