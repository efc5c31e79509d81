import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * The secrets a delivery is signed with, newest first: the member's secret and, during the grace
 * period after a rotation, its previous one, so that a receiver still holding it keeps verifying.
 */
export type SigningSecrets = readonly string[];

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` holds one `v1,<base64 HMAC-SHA256
 * of "<id>.<timestamp>.<body>">` per secret, space-separated; any standard library verifies it
 * with the secret as the member received it. `webhook-id` is the delivery id: the same on every
 * retry of a delivery, it is what a receiver deduplicates on.
 */
export function standardWebhookHeaders(secrets: SigningSecrets, id: string, body: string, sentAt: Date): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => standardWebhook(secret).sign(id, sentAt, body)).join(' '),
  };
}

/**
 * The signer for a secret. A secret is `whsec_<base64 key>`, decoded as every standard library
 * decodes it; secrets issued in hex decode too (hex digits are base64 characters). A secret that
 * is not base64 at all (only ever written by hand into the database) signs with its own bytes
 * rather than stopping deliveries.
 */
export function standardWebhook(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch {
    return new Webhook(secret, { format: 'raw' });
  }
}

/**
 * X-Renfort-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1` per
 * secret, keyed with the secret's text as the member received it. The timestamp lets a receiver
 * refuse replays of old deliveries.
 */
export function signWebhook(secrets: string | SigningSecrets, body: string, unixSeconds: number): string {
  const macs = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => `v1=${hmacHex(secret, unixSeconds, body)}`);
  return [`t=${unixSeconds}`, ...macs].join(',');
}

/** What a receiver does: recompute and compare in constant time with each `v1`, within a tolerance. */
export function verifyWebhook(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at), part.slice(at + 1)] as const;
  });
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return parts
    .filter(([key]) => key === 'v1')
    .some(([, value]) => {
      const given = Buffer.from(value, 'hex');
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
}

function hmacHex(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}

/** A delivery id derived from what is delivered: the same across retries and re-enqueues. */
export function deliveryId(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
