/**
 * Sign-in through an OpenID Connect provider (ProConnect, the State's federation, or any other):
 * read from the environment with the rest of the configuration, all or nothing.
 */
export interface OidcSettings {
  /** The provider's issuer identifier; its metadata is discovered at the first sign-in, not at start-up. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** This service's callback as registered at the provider: `https://<host>/api/v1/auth/oidc/callback`. */
  readonly redirectUri: string;
  /** Space-separated scopes asked for; `openid` always among them. */
  readonly scopes: string;
  /** Where the provider sends the browser after signing out; null: the provider's own page. */
  readonly postLogoutRedirectUri: string | null;
  /** Plain http to the provider (a test provider on the same machine); refused in production. */
  readonly allowInsecureHttp: boolean;
}

/** ProConnect's scopes for an email, a first name and a usual name (family name). */
export const PROCONNECT_DEFAULT_SCOPES = 'openid email given_name usual_name';

const REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const;
const OPTIONAL = ['OIDC_SCOPES', 'OIDC_POST_LOGOUT_REDIRECT_URI', 'OIDC_ALLOW_INSECURE_HTTP'] as const;

/**
 * The OpenID Connect settings, or null when none is given. A partial set is a mistake that would
 * leave the sign-in button broken: each missing or wrong setting is added to `problems`, so that
 * start-up stops naming it.
 */
export function readOidcSettings(env: Record<string, string | undefined>, nodeEnv: string, problems: string[]): OidcSettings | null {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  const given = [...REQUIRED, ...OPTIONAL].filter((name) => value(name) !== undefined);
  if (given.length === 0) return null;
  const missing = REQUIRED.filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    problems.push(`OpenID Connect sign-in is partly configured (${given.join(', ')}): ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
    return null;
  }

  const before = problems.length;
  const insecureText = value('OIDC_ALLOW_INSECURE_HTTP')?.toLowerCase();
  let allowInsecureHttp = false;
  if (insecureText !== undefined) {
    if (['true', '1', 'yes'].includes(insecureText)) allowInsecureHttp = true;
    else if (!['false', '0', 'no'].includes(insecureText)) problems.push('OIDC_ALLOW_INSECURE_HTTP must be true or false');
  }
  if (allowInsecureHttp && nodeEnv === 'production') problems.push('OIDC_ALLOW_INSECURE_HTTP cannot be turned on in production');

  const urlSetting = (name: string, mustBeSecure: boolean): string | undefined => {
    const text = value(name);
    if (text === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      problems.push(`${name} must be an absolute http(s) URL`);
      return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`${name} must be an absolute http(s) URL`);
    else if (mustBeSecure && url.protocol !== 'https:') problems.push(`${name} must use https (OIDC_ALLOW_INSECURE_HTTP=true only outside production, for a test provider)`);
    else if (url.hash) problems.push(`${name} must not have a fragment`);
    return text;
  };
  const issuer = urlSetting('OIDC_ISSUER', !allowInsecureHttp);
  const redirectUri = urlSetting('OIDC_REDIRECT_URI', nodeEnv === 'production');
  if (redirectUri !== undefined && !new URL(redirectUri).pathname.endsWith('/auth/oidc/callback')) {
    problems.push('OIDC_REDIRECT_URI must be this service\'s callback, ending in /api/v1/auth/oidc/callback');
  }
  const postLogoutRedirectUri = urlSetting('OIDC_POST_LOGOUT_REDIRECT_URI', nodeEnv === 'production') ?? null;
  const scopes = (value('OIDC_SCOPES') ?? PROCONNECT_DEFAULT_SCOPES).split(/\s+/);
  if (!scopes.includes('openid')) problems.push('OIDC_SCOPES must include openid');
  if (scopes.some((scope) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))) problems.push('OIDC_SCOPES must be scope names separated by spaces');
  if (problems.length > before) return null;

  return {
    issuer: issuer!,
    clientId: value('OIDC_CLIENT_ID')!,
    clientSecret: value('OIDC_CLIENT_SECRET')!,
    redirectUri: redirectUri!,
    scopes: scopes.join(' '),
    postLogoutRedirectUri,
    allowInsecureHttp,
  };
}
