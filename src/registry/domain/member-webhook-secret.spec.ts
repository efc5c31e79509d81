import { Member } from './member.js';

const HOUR = 3_600_000;
const now = new Date('2026-03-01T10:00:00Z');
const withWebhook = () =>
  Member.register({
    id: 'm-1', legalName: 'Alpha SAS', siren: '732829320', charterSignedAt: '2017-03-21', charterSignatory: 'C. Martin',
    webhookUrl: 'https://alpha.example/hooks', webhookSecret: 'whsec_first', now,
  });

describe('Member webhook secret rotation', () => {
  it('keeps the replaced secret, until the end of the grace period, beside the new one', () => {
    const member = withWebhook();
    member.rotateWebhookSecret('whsec_second', now, new Date(now.getTime() + 24 * HOUR));
    expect(member).toMatchObject({
      webhookSecret: 'whsec_second',
      webhookPreviousSecret: 'whsec_first',
      webhookPreviousSecretExpiresAt: new Date('2026-03-02T10:00:00Z'),
    });
  });

  it('keeps only the last replaced secret when rotated again within the grace period', () => {
    const member = withWebhook();
    member.rotateWebhookSecret('whsec_second', now, new Date(now.getTime() + 24 * HOUR));
    member.rotateWebhookSecret('whsec_third', new Date(now.getTime() + HOUR), new Date(now.getTime() + 25 * HOUR));
    expect(member).toMatchObject({ webhookSecret: 'whsec_third', webhookPreviousSecret: 'whsec_second' });
  });

  it('drops the replaced secret at once when there is no grace period', () => {
    const member = withWebhook();
    member.rotateWebhookSecret('whsec_second', now, now);
    expect(member).toMatchObject({ webhookSecret: 'whsec_second', webhookPreviousSecret: null, webhookPreviousSecretExpiresAt: null });
  });

  it('forgets every secret, the previous one included, with the webhook', () => {
    const member = withWebhook();
    member.rotateWebhookSecret('whsec_second', now, new Date(now.getTime() + 24 * HOUR));
    member.removeWebhook();
    expect(member).toMatchObject({ webhookUrl: null, webhookSecret: null, webhookPreviousSecret: null, webhookPreviousSecretExpiresAt: null });
  });
});
