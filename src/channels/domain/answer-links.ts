import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a link answers: acknowledge, accept or decline. */
export const LINK_ACTIONS = ['acknowledge', 'accept', 'decline'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

/** What a link is bound to: the alert (hence the contact it went to), the request, the action. */
export interface AnswerLink {
  alertId: string;
  requestId: string;
  action: LinkAction;
}

const ACTION_CODES: Record<LinkAction, string> = { acknowledge: 'k', accept: 'a', decline: 'd' };
const TOKEN = /^([A-Za-z0-9_-]{22})([A-Za-z0-9_-]{22})([kad])([A-Za-z0-9_-]{22})$/;

/** The key of the links, derived from the service's secret for this use only. */
export function linkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('renfort-answer-link-v1').digest();
}

/**
 * A signed token, short enough for a path segment and a phone's screen (67 characters): the
 * alert's and the request's ids (16 bytes each), the action's letter, and a MAC of them (HMAC-SHA256
 * cut to 128 bits), all base64url. It carries no expiry of its own: a link is good while its
 * request can still take its answer (checked at use), and once, the use being recorded by the
 * token's hash.
 */
export function signLink(key: Buffer, link: AnswerLink): string {
  const body = `${uuidBytes(link.alertId)}${uuidBytes(link.requestId)}${ACTION_CODES[link.action]}`;
  return `${body}${mac(key, body)}`;
}

/** The link a token stands for, or null for anything forged, altered or malformed. */
export function verifyLink(key: Buffer, token: string): AnswerLink | null {
  if (typeof token !== 'string') return null;
  const parts = TOKEN.exec(token);
  if (!parts) return null;
  const [, alert, request, code, signature] = parts;
  const expected = Buffer.from(mac(key, `${alert}${request}${code}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const action = LINK_ACTIONS.find((candidate) => ACTION_CODES[candidate] === code)!;
  return { alertId: uuidOf(alert), requestId: uuidOf(request), action };
}

function uuidBytes(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

function uuidOf(text: string): string {
  const hex = Buffer.from(text, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What is kept of a used link: its hash, never the token. */
export function linkHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url');
}

/** Where a link stands in a stored message: rendered into a signed address only when the message leaves. */
export function linkPlaceholder(link: AnswerLink): string {
  return `{answer:${link.alertId}.${link.requestId}.${link.action}}`;
}

const PLACEHOLDER = /\{answer:([0-9a-f-]{36})\.([0-9a-f-]{36})\.(acknowledge|accept|decline)\}/g;

/**
 * The text with its answer links signed: the stored message keeps placeholders, so that the
 * database never holds a usable link (they are credentials).
 */
export function renderLinks(text: string, key: Buffer, publicUrl: string): string {
  return text.replace(PLACEHOLDER, (_match, alertId: string, requestId: string, action: LinkAction) =>
    `${publicUrl}/api/v1/answers/${signLink(key, { alertId, requestId, action })}`);
}
