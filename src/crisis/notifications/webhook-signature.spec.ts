import { createHmac } from 'node:crypto';
import { deliveryId, signWebhook, verifyWebhook } from './webhook-signature.js';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ hello: 'préfecture' });

  it('signs "<t>.<body>" with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, body, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies a fresh signature, and refuses another body, secret or an old timestamp', () => {
    const header = signWebhook(secret, body, 1700000000);
    expect(verifyWebhook(secret, body, header, 1700000100)).toBe(true);
    expect(verifyWebhook(secret, `${body} `, header, 1700000100)).toBe(false);
    expect(verifyWebhook('other', body, header, 1700000100)).toBe(false);
    expect(verifyWebhook(secret, body, header, 1700009999)).toBe(false);
  });

  it('derives the same delivery id from the same parts, another from others', () => {
    expect(deliveryId('requested', 'a', 'm')).toBe(deliveryId('requested', 'a', 'm'));
    expect(deliveryId('requested', 'a', 'm')).not.toBe(deliveryId('requested', 'a', 'n'));
    expect(deliveryId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
