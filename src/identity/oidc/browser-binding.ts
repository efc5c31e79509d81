import { createHash, randomBytes } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { SessionCookieReply, SessionRequest } from '../../common/auth/browser-session.js';

/**
 * Binds a sign-in through the provider to the browser that started it: a random value in a short
 * cookie, its hash kept with the attempt. Without it, someone could start a sign-in and have
 * another person's browser finish it (login CSRF). SameSite=Lax, not Strict: the callback is a
 * top-level navigation coming from the provider's site, which a Strict cookie would not follow.
 */
export const OIDC_BROWSER_COOKIE = 'renfort_oidc';
/** Only the sign-in routes need it. */
const COOKIE_PATH = '/api/v1/auth/oidc';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The browser's value, when it already has a sane one: two sign-ins begun in two tabs both stay valid. */
export function browserValueOf(request: SessionRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || !header.includes(OIDC_BROWSER_COOKIE)) return undefined;
  const value = parseCookie(header)[OIDC_BROWSER_COOKIE];
  return value && VALUE.test(value) ? value : undefined;
}

export function newBrowserValue(): string {
  return randomBytes(32).toString('base64url');
}

export function browserHashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function setBrowserCookie(reply: SessionCookieReply, value: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', stringifySetCookie({ name: OIDC_BROWSER_COOKIE, value, ...COOKIE_OPTIONS, maxAge: maxAgeSeconds }));
}

export function clearBrowserCookie(reply: SessionCookieReply): void {
  reply.header('set-cookie', stringifySetCookie({ name: OIDC_BROWSER_COOKIE, value: '', ...COOKIE_OPTIONS, maxAge: 0, expires: new Date(0) }));
}

const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'lax', path: COOKIE_PATH } as const;
