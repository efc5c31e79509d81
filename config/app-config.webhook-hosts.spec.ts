import { ConfigurationError, loadAppConfig } from './app-config.js';

describe('WEBHOOK_ALLOWED_HOSTS', () => {
  it('allows no private host unless named', () => {
    expect(loadAppConfig({}).webhook.allowedHosts).toEqual([]);
  });

  it('reads a comma-separated list of host names, in lower case', () => {
    expect(loadAppConfig({ WEBHOOK_ALLOWED_HOSTS: 'Alerts.Prefecture.local, 10.1.2.3,[fd00::7]' }).webhook.allowedHosts).toEqual([
      'alerts.prefecture.local',
      '10.1.2.3',
      '[fd00::7]',
    ]);
  });

  it.each(['https://alerts.local', 'alerts.local:8443', 'alerts.local,,other.local', 'fd00::7'])('refuses %s', (value) => {
    expect(() => loadAppConfig({ WEBHOOK_ALLOWED_HOSTS: value })).toThrow(ConfigurationError);
  });
});
