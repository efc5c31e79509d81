import { ConfigurationError, loadAppConfig } from './app-config.js';

describe('WEBHOOK_SECRET_GRACE', () => {
  it('keeps a rotated-out secret signing for 24 hours by default', () => {
    expect(loadAppConfig({}).webhook.secretGraceSeconds).toBe(86400);
  });

  it.each([
    ['0', 0],
    ['3600', 3600],
    ['90m', 5400],
    ['7d', 604800],
  ])('reads %s as %i seconds', (value, seconds) => {
    expect(loadAppConfig({ WEBHOOK_SECRET_GRACE: value }).webhook.secretGraceSeconds).toBe(seconds);
  });

  it.each(['one day', '-1h', '31d'])('refuses %s, naming the setting', (value) => {
    expect(() => loadAppConfig({ WEBHOOK_SECRET_GRACE: value })).toThrow(ConfigurationError);
    expect(() => loadAppConfig({ WEBHOOK_SECRET_GRACE: value })).toThrow('WEBHOOK_SECRET_GRACE');
  });
});
