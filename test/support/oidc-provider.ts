import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A person the provider knows: the claims it vouches for, and how it says they signed in. */
export interface ProviderAccount {
  email: string;
  given_name?: string;
  usual_name?: string;
  /** Method references the ID token reports (RFC 8176). */
  amr?: string[];
}

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Signed userinfo answers (application/jwt), as ProConnect sends them; otherwise plain JSON. */
  signedUserinfo: boolean;
}

const SCOPES = 'openid email given_name usual_name';

/**
 * A real OpenID provider (`oidc-provider`, certified) on a random local port, plain http: its
 * clients, its accounts, and login forms of its own whose answer names the account and its
 * method references. A test drives it as a browser would: redirects followed by hand, forms
 * posted with the provider's cookies.
 */
export class TestOidcProvider {
  readonly accounts = new Map<string, ProviderAccount>();
  /** The content type of each userinfo answer, in order: `application/jwt` when signed. */
  readonly userinfoAnswers: string[] = [];

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
  ) {}

  static async start(clients: ProviderClient[]): Promise<TestOidcProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const instance = new TestOidcProvider(issuer, server);
    const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
    // Its notices about a development set-up (runtime, in-memory storage) say what a test provider is.
    const Provider = await quietly(async () => (await import('oidc-provider')).default);
    const provider = await quietly(() => new Provider(issuer, {
      jwks: { keys: [signingKey] },
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      clients: clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        ...(client.signedUserinfo ? { userinfo_signed_response_alg: 'RS256' } : {}),
      })),
      // amr among the supported claims: the ID token reports it when asked (the claims parameter).
      claims: { acr: null, amr: null, auth_time: null, iss: null, sid: null, openid: ['sub'], email: ['email', 'email_verified'], given_name: ['given_name'], usual_name: ['usual_name'] },
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: true },
        jwtUserinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true },
      },
      pkce: { required: () => true },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, sub: string) => {
        const account = instance.accounts.get(sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          claims: async () => ({ sub, email: account.email, email_verified: true, given_name: account.given_name, usual_name: account.usual_name }),
        };
      },
      // The client is the provider's own federation member: no consent screen.
      loadExistingGrant: async (ctx: any) => {
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
        if (existing) return existing;
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope(SCOPES);
        await grant.save();
        return grant;
      },
    }));
    const callback = provider.callback();
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.url?.startsWith('/interaction/')) {
        instance.interaction(provider, request, response).catch((error: Error) => {
          response.statusCode = 500;
          response.end(error.message);
        });
      } else {
        if (request.url?.startsWith('/me')) response.on('finish', () => instance.userinfoAnswers.push(String(response.getHeader('content-type'))));
        callback(request, response);
      }
    });
    return instance;
  }

  /** The provider's sign-in page (a form naming the account) and its answer. */
  private async interaction(provider: any, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { uid, prompt } = await provider.interactionDetails(request, response);
    if (request.method === 'GET') {
      response.setHeader('content-type', 'text/html');
      response.end(`<form method="post" action="/interaction/${uid}/login"><input name="login"><button>${prompt.name}</button></form>`);
      return;
    }
    let body = '';
    for await (const chunk of request) body += chunk;
    const login = new URLSearchParams(body).get('login') ?? '';
    const account = this.accounts.get(login);
    const result = account
      ? { login: { accountId: login, ...(account.amr ? { amr: account.amr } : {}) } }
      : { error: 'access_denied', error_description: 'Unknown account' };
    await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Runs `action` without oidc-provider's development notices on the console. */
async function quietly<T>(action: () => T | Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  try {
    return await action();
  } finally {
    console.warn = warn;
  }
}

/** The cookies a browser keeps for one site: enough for the provider's session and interaction cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A browser at the provider: from the authorization URL, follows redirects and posts the sign-in
 * form for `login`, until the provider sends it to `redirectUri`. Answers that last URL.
 */
export async function signInAtProvider(authorizationUrl: string, login: string, redirectUri: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    jar.take(response);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page);
    if (response.status !== 200 || !action) throw new Error(`The provider answered ${response.status} at ${url.pathname}: ${page.slice(0, 500)}`);
    url = new URL(action[1], url);
    method = 'POST';
    body = new URLSearchParams({ login }).toString();
  }
  throw new Error('The provider never sent the browser back');
}
