import { parseCookie, stringifySetCookie } from 'cookie';
import { ForbiddenError } from '../errors/domain-error.js';

/**
 * The browser session: the same signed token as a bearer token, kept in a cookie that scripts
 * cannot read (HttpOnly), sent only over HTTPS (Secure; browsers treat http://localhost as secure)
 * and never with a request another site starts (SameSite=Strict). Revocation is the token's.
 */
export const SESSION_COOKIE = 'renfort_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the session check reads of a request: Fastify's and Nest's requests both have it. */
export interface SessionRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The session token the request's cookie carries, if any. */
export function sessionTokenOf(request: SessionRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || !header.includes(SESSION_COOKIE)) return undefined;
  const value = parseCookie(header)[SESSION_COOKIE];
  return value ? value : undefined;
}

/**
 * Against cross-site request forgery, on top of SameSite=Strict: a request that changes state with
 * the session cookie must say it comes from this service's own page. Browsers send `Origin` on
 * every such request (and `Sec-Fetch-Site`); a request with neither is not from a browser page and
 * has no business with a browser's cookie.
 */
export function assertSameOrigin(request: SessionRequest): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = single(request.headers.origin);
  const fetchSite = single(request.headers['sec-fetch-site']);
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') throw crossSite();
  if (origin === undefined) {
    if (fetchSite === 'same-origin') return;
    throw crossSite();
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  if (host !== single(request.headers[':authority']) && host !== single(request.headers.host)) throw crossSite();
}

export interface SessionCookieReply {
  header(name: string, value: string): unknown;
}

/** Sets the session cookie on an answer. */
export function setSessionCookie(reply: SessionCookieReply, token: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', stringifySetCookie({ name: SESSION_COOKIE, value: token, ...COOKIE_OPTIONS, maxAge: maxAgeSeconds }));
}

/** Removes the session cookie from the browser (the token itself is ended by its revocation). */
export function clearSessionCookie(reply: SessionCookieReply): void {
  reply.header('set-cookie', stringifySetCookie({ name: SESSION_COOKIE, value: '', ...COOKIE_OPTIONS, maxAge: 0, expires: new Date(0) }));
}

const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function crossSite(): ForbiddenError {
  return new ForbiddenError('AUTH.CROSS_SITE_REQUEST', 'A request with the session cookie must come from this service\'s own pages');
}
