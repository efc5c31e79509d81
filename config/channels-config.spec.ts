import { ConfigurationError, loadAppConfig } from './app-config.js';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_EMAIL: 'delegation@interieur.gouv.fr',
  ADMIN_PASSWORD: 'correct-horse-battery-staple-2026',
  DATABASE_URL: 'postgresql://app@db:5432/renfort',
  REDIS_URL: 'redis://cache:6379',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-key.pem',
};
const smpp = { SMPP_URL: 'smpp://smsc.example.fr:2775', SMPP_SYSTEM_ID: 'renfort', SMPP_PASSWORD: 's3cret', SMPP_SOURCE_ADDRESS: 'Renfort' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigurationError).problems;
  }
}

describe('channel settings', () => {
  it('offers no channel when none is configured', () => {
    expect(loadAppConfig({}).channels).toEqual({ smtp: null, smpp: null, attempts: 8, backoffMs: 2000, publicUrl: 'http://localhost:3000', alertGatherMs: 2000 });
  });

  it('reads where people open the answer links, and the gathering window of alerts, refusing what is not a URL or a duration', () => {
    expect(loadAppConfig({ PUBLIC_URL: 'https://renfort.interieur.gouv.fr/', ALERT_GATHER_MS: '500' }).channels)
      .toMatchObject({ publicUrl: 'https://renfort.interieur.gouv.fr', alertGatherMs: 500 });
    expect(loadAppConfig({ PORT: '8080' }).channels.publicUrl).toBe('http://localhost:8080');
    expect(problemsOf({ PUBLIC_URL: 'renfort.example.fr', ALERT_GATHER_MS: 'soon' })).toEqual([
      'PUBLIC_URL must be an http:// or https:// URL such as https://renfort.interieur.gouv.fr',
      'ALERT_GATHER_MS must be a whole number from 0 to 60000',
    ]);
  });

  it('reads the email and SMS channels', () => {
    const config = loadAppConfig({ SMTP_URL: 'smtps://renfort:pw@mail.example.fr:465', SMTP_FROM: 'Renfort <alertes@interieur.gouv.fr>', ...smpp, SMPP_ENQUIRE_LINK_SECONDS: '20' });
    expect(config.channels).toMatchObject({
      smtp: { url: 'smtps://renfort:pw@mail.example.fr:465', from: 'Renfort <alertes@interieur.gouv.fr>' },
      smpp: { url: 'smpp://smsc.example.fr:2775', systemId: 'renfort', password: 's3cret', sourceAddress: 'Renfort', enquireLinkSeconds: 20 },
    });
  });

  it('refuses a channel configured in part, naming what is missing', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://mail.example.fr' })).toEqual([expect.stringMatching(/email channel is partly configured.*SMTP_FROM is missing/)]);
    expect(problemsOf({ SMPP_URL: 'smpp://smsc:2775', SMPP_SYSTEM_ID: 'renfort' })).toEqual([
      expect.stringMatching(/SMS channel is partly configured.*SMPP_PASSWORD, SMPP_SOURCE_ADDRESS are missing/),
    ]);
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.fr', SMTP_FROM: 'a@b.fr' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.fr', SMTP_FROM: 'not an address' }, 'SMTP_FROM'],
    [{ ...smpp, SMPP_URL: 'tcp://smsc:2775' }, 'SMPP_URL'],
    [{ ...smpp, SMPP_PASSWORD: 'longer-than-eight' }, 'SMPP_PASSWORD'],
    [{ ...smpp, SMPP_SYSTEM_ID: 'a-system-id-too-long' }, 'SMPP_SYSTEM_ID'],
    [{ ...smpp, SMPP_SOURCE_ADDRESS: 'Renfort-Alertes' }, 'SMPP_SOURCE_ADDRESS'],
    [{ SMPP_ENQUIRE_LINK_SECONDS: '0' }, 'SMPP_ENQUIRE_LINK_SECONDS'],
    [{ CHANNEL_ATTEMPTS: '0' }, 'CHANNEL_ATTEMPTS'],
  ])('refuses a malformed setting, naming it (%#)', (env, name) => {
    expect(problemsOf(env as Record<string, string>)).toEqual([expect.stringContaining(name)]);
  });

  it('accepts an international number or a short code as the SMS sender', () => {
    expect(loadAppConfig({ ...smpp, SMPP_SOURCE_ADDRESS: '+33612345678' }).channels.smpp?.sourceAddress).toBe('+33612345678');
    expect(loadAppConfig({ ...smpp, SMPP_SOURCE_ADDRESS: '38200' }).channels.smpp?.sourceAddress).toBe('38200');
  });

  it('refuses in production the passwords the repository publishes (its test servers) and factory defaults', () => {
    expect(problemsOf({ ...production, ...smpp, SMPP_PASSWORD: 'secret12' })).toEqual([expect.stringContaining('SMPP_PASSWORD must not be a value published')]);
    expect(problemsOf({ ...production, SMTP_URL: 'smtp://renfort:changeme@mail:587', SMTP_FROM: 'a@b.fr' })).toEqual([expect.stringContaining('SMTP_URL must not carry a password published')]);
    expect(problemsOf({ ...production, ...smpp })).toEqual([]);
    // Outside production the trial values are fine.
    expect(loadAppConfig({ ...smpp, SMPP_PASSWORD: 'secret12' }).channels.smpp?.password).toBe('secret12');
  });
});
