import type { LookupAddress } from 'node:dns';
import { type ResolveHost, WebhookUrlNotAllowedError, WebhookUrlPolicy } from './webhook-url-policy.js';

const DNS: Record<string, string[]> = {
  'alerts.member.example': ['93.184.215.14', '2606:4700::6810:84e5'],
  'split.member.example': ['93.184.215.14', '10.0.0.5'],
  'metadata.member.example': ['169.254.169.254'],
  'mapped.member.example': ['::ffff:127.0.0.1'],
  'receiver.on-premises.example': ['10.20.30.40'],
  localhost: ['127.0.0.1', '::1'],
};
const resolve: ResolveHost = async (host) => DNS[host] ?? [];

function policy(nodeEnv: 'production' | 'test', allowedHosts: string[] = [], resolver = resolve) {
  return new WebhookUrlPolicy({ nodeEnv, webhook: { attempts: 1, backoffMs: 10, allowedHosts, secretGraceSeconds: 0 } }, resolver);
}

async function refusal(check: Promise<void>): Promise<string | null> {
  try {
    await check;
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUrlNotAllowedError);
    expect((error as WebhookUrlNotAllowedError).code).toBe('WEBHOOK.URL_NOT_ALLOWED');
    return (error as Error).message;
  }
}

describe('WebhookUrlPolicy at registration', () => {
  describe('in production', () => {
    const production = policy('production');

    it('accepts https to a host whose every address is public', async () => {
      expect(await refusal(production.assertAllowed('https://alerts.member.example/renfort'))).toBeNull();
      expect(await refusal(production.assertAllowed('https://93.184.215.14:8443/hook'))).toBeNull();
    });

    it.each([
      ['http://alerts.member.example/hook', 'webhookUrl must use https in production'],
      ['http://127.0.0.1/hook', 'webhookUrl must use https in production'],
      ['https://127.0.0.1/hook', 'webhookUrl points at 127.0.0.1, a loopback address; only public addresses are allowed in production'],
      ['https://10.0.0.5:6379/', 'webhookUrl points at 10.0.0.5, a private address; only public addresses are allowed in production'],
      ['https://169.254.169.254/latest/meta-data', 'webhookUrl points at 169.254.169.254, a link-local address; only public addresses are allowed in production'],
      ['https://0.0.0.0/', 'webhookUrl points at 0.0.0.0, the unspecified address; only public addresses are allowed in production'],
      ['https://100.64.1.1/', 'webhookUrl points at 100.64.1.1, a carrier-grade NAT address; only public addresses are allowed in production'],
      ['https://[::1]/', 'webhookUrl points at [::1], a loopback address; only public addresses are allowed in production'],
      ['https://[::]/', 'webhookUrl points at [::], the unspecified address; only public addresses are allowed in production'],
      ['https://[fe80::1]/', 'webhookUrl points at [fe80::1], a link-local address; only public addresses are allowed in production'],
      ['https://[fd00::1]/', 'webhookUrl points at [fd00::1], a unique-local address; only public addresses are allowed in production'],
      ['https://[::ffff:127.0.0.1]/', 'webhookUrl points at [::ffff:7f00:1], a loopback address; only public addresses are allowed in production'],
      ['https://[::ffff:a9fe:a9fe]/', 'webhookUrl points at [::ffff:a9fe:a9fe], a link-local address; only public addresses are allowed in production'],
      ['https://2130706433/', 'webhookUrl points at 127.0.0.1, a loopback address; only public addresses are allowed in production'],
      ['https://0x0a.0.0.1/', 'webhookUrl points at 10.0.0.1, a private address; only public addresses are allowed in production'],
      ['https://localhost/hook', 'webhookUrl host localhost resolves to a loopback address; only public addresses are allowed in production'],
      ['https://split.member.example/', 'webhookUrl host split.member.example resolves to a private address; only public addresses are allowed in production'],
      ['https://metadata.member.example/', 'webhookUrl host metadata.member.example resolves to a link-local address; only public addresses are allowed in production'],
      ['https://mapped.member.example/', 'webhookUrl host mapped.member.example resolves to a loopback address; only public addresses are allowed in production'],
      ['https://nowhere.member.example/', 'webhookUrl host nowhere.member.example does not resolve; only hosts with public addresses are allowed in production'],
      ['ftp://alerts.member.example/', 'webhookUrl must use https'],
    ])('refuses %s', async (url, message) => {
      expect(await refusal(production.assertAllowed(url))).toBe(message);
    });

    it('does not tell which address a name resolves to', async () => {
      expect(await refusal(production.assertAllowed('https://split.member.example/'))).not.toContain('10.0.0.5');
    });

    it('refuses a host whose resolution fails as one that does not resolve', async () => {
      const failing = policy('production', [], async () => {
        throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
      });
      expect(await refusal(failing.assertAllowed('https://alerts.member.example/'))).toContain('does not resolve');
    });

    it('lets a host named in WEBHOOK_ALLOWED_HOSTS reach a private address, over https only', async () => {
      const onPremises = policy('production', ['receiver.on-premises.example', '10.1.2.3', '[fd00::7]']);
      expect(await refusal(onPremises.assertAllowed('https://receiver.on-premises.example/hook'))).toBeNull();
      expect(await refusal(onPremises.assertAllowed('https://RECEIVER.on-premises.example:8443/hook'))).toBeNull();
      expect(await refusal(onPremises.assertAllowed('https://10.1.2.3/hook'))).toBeNull();
      expect(await refusal(onPremises.assertAllowed('https://[fd00:0::7]/hook'))).toBeNull();
      expect(await refusal(onPremises.assertAllowed('http://receiver.on-premises.example/hook'))).toBe('webhookUrl must use https in production');
      expect(await refusal(onPremises.assertAllowed('https://10.1.2.4/hook'))).toContain('a private address');
    });
  });

  describe('outside production', () => {
    const test = policy('test');

    it.each([
      'http://127.0.0.1:9999/hook',
      'http://localhost:3000/hook',
      'http://[::1]:3000/hook',
      'https://127.0.0.1/hook',
      'https://alerts.member.example/hook',
      // A development machine may not reach the member's DNS; deliveries check the addresses.
      'https://nowhere.member.example/hook',
    ])('accepts %s', async (url) => {
      expect(await refusal(test.assertAllowed(url))).toBeNull();
    });

    it.each([
      ['http://alerts.member.example/hook', 'webhookUrl must use https (plain http is accepted only to the loopback address, outside production)'],
      ['http://nowhere.member.example/hook', 'webhookUrl must use https (plain http is accepted only to the loopback address, outside production)'],
      ['https://10.0.0.5/', 'webhookUrl points at 10.0.0.5, a private address; only public addresses are allowed (and the loopback, outside production)'],
      ['http://169.254.169.254/', 'webhookUrl points at 169.254.169.254, a link-local address; only public addresses are allowed (and the loopback, outside production)'],
      ['https://metadata.member.example/', 'webhookUrl host metadata.member.example resolves to a link-local address; only public addresses are allowed (and the loopback, outside production)'],
    ])('refuses %s', async (url, message) => {
      expect(await refusal(test.assertAllowed(url))).toBe(message);
    });
  });
});

describe('WebhookUrlPolicy when a delivery connects', () => {
  function lookUp(check: WebhookUrlPolicy, url: string, options: { all?: boolean; family?: number } = {}) {
    const lookup = check.connectionLookup(new URL(url));
    return new Promise<string | LookupAddress[]>((done, fail) =>
      lookup(new URL(url).hostname, options, (error, address) => (error ? fail(error) : done(address))),
    );
  }

  it('refuses a refused scheme or address literal before connecting', () => {
    expect(() => policy('production').connectionLookup(new URL('http://alerts.member.example/'))).toThrow(WebhookUrlNotAllowedError);
    expect(() => policy('production').connectionLookup(new URL('https://169.254.169.254/'))).toThrow('a link-local address');
    expect(() => policy('test').connectionLookup(new URL('https://10.0.0.5/'))).toThrow('a private address');
  });

  it('answers the checked addresses, all of them or one of the family asked', async () => {
    expect(await lookUp(policy('production'), 'https://alerts.member.example/', { all: true })).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::6810:84e5', family: 6 },
    ]);
    expect(await lookUp(policy('production'), 'https://alerts.member.example/', { family: 6 })).toBe('2606:4700::6810:84e5');
  });

  it('refuses a name that now resolves to a private address, whichever family is asked', async () => {
    let answers = ['93.184.215.14'];
    const rebinding = policy('production', [], async () => answers);
    await expect(rebinding.assertAllowed('https://alerts.member.example/')).resolves.toBeUndefined();
    answers = ['93.184.215.14', '::ffff:10.0.0.5'];
    await expect(lookUp(rebinding, 'https://alerts.member.example/', { family: 4 })).rejects.toThrow(WebhookUrlNotAllowedError);
  });

  it('lets a name in WEBHOOK_ALLOWED_HOSTS connect to its private address', async () => {
    expect(await lookUp(policy('production', ['receiver.on-premises.example']), 'https://receiver.on-premises.example/')).toBe('10.20.30.40');
  });

  it('keeps the loopback open outside production only', async () => {
    expect(await lookUp(policy('test'), 'http://localhost:3000/', { all: true })).toHaveLength(2);
    await expect(lookUp(policy('production'), 'https://localhost/')).rejects.toThrow('a loopback address');
  });
});
