import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { deliveryId, signWebhook, standardWebhookHeaders, verifyWebhook } from './webhook-signature.js';

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

  it('signs with each secret given, one v1 each, and a receiver holding either verifies', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], body, 1700000000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_new', body, header, 1700000000)).toBe(true);
    expect(verifyWebhook('whsec_old', body, header, 1700000000)).toBe(true);
    expect(verifyWebhook('whsec_other', body, header, 1700000000)).toBe(false);
  });

  it('derives the same delivery id from the same parts, another from others', () => {
    expect(deliveryId('requested', 'a', 'm')).toBe(deliveryId('requested', 'a', 'm'));
    expect(deliveryId('requested', 'a', 'm')).not.toBe(deliveryId('requested', 'a', 'n'));
    expect(deliveryId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Standard Webhooks headers', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');
  const secret = `whsec_${key.toString('base64')}`;
  const body = JSON.stringify({ type: 'mobilization.requested', deliveryId: 'd-1' });
  const sentAt = new Date();
  const verify = (holding: string, headers: Record<string, string>, payload = body) => {
    try {
      new Webhook(holding).verify(payload, headers);
      return true;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return false;
      throw error;
    }
  };

  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 of the base64-decoded key, in base64 after "v1,"', () => {
    const headers = standardWebhookHeaders([secret], 'msg_1', body, new Date(1700000000_500));
    const mac = createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(headers).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': `v1,${mac}` });
  });

  it('verifies with the standard library and the secret as the member holds it; refuses another body, id or secret', () => {
    const headers = standardWebhookHeaders([secret], 'msg_1', body, sentAt);
    expect(verify(secret, headers)).toBe(true);
    expect(verify(secret, headers, `${body} `)).toBe(false);
    expect(verify(secret, { ...headers, 'webhook-id': 'msg_2' })).toBe(false);
    expect(verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, headers)).toBe(false);
  });

  it('carries one signature per secret, space-separated, newest first: a receiver holding either verifies', () => {
    const previous = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    const headers = standardWebhookHeaders([secret, previous], 'msg_1', body, sentAt);
    const [first, second] = headers['webhook-signature'].split(' ');
    expect(first).toBe(standardWebhookHeaders([secret], 'msg_1', body, sentAt)['webhook-signature']);
    expect(second).toBe(standardWebhookHeaders([previous], 'msg_1', body, sentAt)['webhook-signature']);
    expect(verify(secret, headers)).toBe(true);
    expect(verify(previous, headers)).toBe(true);
  });

  it('signs for a secret issued in hex as a standard library reads it, and for a secret that is not base64 without failing', () => {
    const hexSecret = `whsec_${'5f2b9c0e7a4d1f8b'.repeat(4)}`;
    expect(verify(hexSecret, standardWebhookHeaders([hexSecret], 'msg_1', body, sentAt))).toBe(true);
    const headers = standardWebhookHeaders(['whsec-not-base64'], 'msg_1', body, sentAt);
    expect(new Webhook('whsec-not-base64', { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
  });
});
