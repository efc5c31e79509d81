import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { FixedClock } from '../src/common/time/clock.js';
import { verifyWebhook } from '../src/crisis/notifications/webhook-signature.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
}

/**
 * A member's endpoint on the loopback that keeps each delivery as it came (headers and raw body),
 * so that the test verifies it as a receiver would, with the standard library.
 */
class RecordingReceiver {
  readonly received: Received[] = [];
  private readonly failures = new Map<string, number>();
  private server: Server;

  static async start(): Promise<RecordingReceiver> {
    const receiver = new RecordingReceiver();
    receiver.server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      receiver.received.push({ path, headers: request.headers, rawBody, body: JSON.parse(rawBody) });
      const failing = receiver.failures.get(path) ?? 0;
      if (failing > 0) {
        receiver.failures.set(path, failing - 1);
        response.writeHead(500).end('failing on purpose');
        return;
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${path}`;
  }

  failNext(path: string, times: number): void {
    this.failures.set(`/${path}`, times);
  }

  requested(path: string, activationId: string): Received[] {
    return this.received.filter((r) => r.path === `/${path}` && r.body.type === 'mobilization.requested' && r.body.activation.id === activationId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver runs: the standard library's verification, with the secret as the member holds it. */
function verifiesWith(secret: string, delivery: Received): boolean {
  try {
    new Webhook(secret).verify(delivery.rawBody, delivery.headers as Record<string, string>);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

describe('Standard Webhooks: every delivery verifies with a standard library, and a rotation keeps the old secret for a grace period', () => {
  const HOUR = 3_600_000;
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let receiver: RecordingReceiver;
  let actors: CrisisActors;
  let admin: string;
  let { authorize } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await RecordingReceiver.start();
    t = await TestApp.start({ env: { WEBHOOK_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50', WEBHOOK_SECRET_GRACE: '24h' }, clock });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    ({ authorize } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** A responder whose webhook points at the receiver; answers the secret the member was given. */
  async function memberOnReceiver(category: string) {
    const member = await responder(t, actors.directorate, null, { category, assets: 3 });
    const path = `member-${randomUUID().slice(0, 8)}`;
    const changed = await t.http.patch(`/api/v1/members/${member.member.id}`).set(bearer(member.user.token)).send({ webhookUrl: receiver.url(path) }).expect(200);
    return { ...member, path, secret: changed.body.webhookSecret as string };
  }

  /** Authorizes a fresh activation of one asset and waits for its delivery to the member. */
  async function deliveryOfNewActivation(category: string, path: string, count = 1): Promise<Received[]> {
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    return eventually(async () => {
      const deliveries = receiver.requested(path, activationId);
      return deliveries.length >= count && deliveries;
    });
  }

  it('gives the member its secret as Standard Webhooks key material: whsec_ and 32 bytes in base64', async () => {
    const member = await memberOnReceiver(await isolatedCategory(t));
    expect(member.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(member.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const rotated = await t.http.post(`/api/v1/members/${member.member.id}/webhook-secret/rotate`).set(bearer(member.user.token)).expect(200);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it('signs every delivery with the standard headers, one webhook-id across the retries of a delivery, and keeps the former headers', async () => {
    const category = await isolatedCategory(t);
    const member = await memberOnReceiver(category);
    receiver.failNext(member.path, 1);

    const [failed, retried] = await deliveryOfNewActivation(category, member.path, 2);
    for (const delivery of [failed, retried]) {
      expect(verifiesWith(member.secret, delivery)).toBe(true);
      expect(delivery.headers['webhook-timestamp']).toMatch(/^\d+$/);
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(delivery.headers['webhook-id']).toBe(delivery.body.deliveryId);
      // The former headers still come, for receivers that check them.
      expect(delivery.headers['x-renfort-delivery']).toBe(delivery.body.deliveryId);
      expect(verifyWebhook(member.secret, delivery.rawBody, String(delivery.headers['x-renfort-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    }
    expect(retried.headers['webhook-id']).toBe(failed.headers['webhook-id']);

    // Another secret, or a body changed on the way, does not verify.
    expect(verifiesWith(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, retried)).toBe(false);
    expect(verifiesWith(member.secret, { ...retried, rawBody: retried.rawBody.replace('mobilization', 'Mobilization') })).toBe(false);
  });

  it('after a rotation, signs with the new and the previous secret until the grace period has passed, then with the new one only', async () => {
    const category = await isolatedCategory(t);
    const member = await memberOnReceiver(category);
    const [before] = await deliveryOfNewActivation(category, member.path);
    expect(verifiesWith(member.secret, before)).toBe(true);

    const rotatedAt = clock.now();
    const rotated = await t.http.post(`/api/v1/members/${member.member.id}/webhook-secret/rotate`).set(bearer(member.user.token)).expect(200);
    const newSecret = rotated.body.webhookSecret as string;
    expect(newSecret).not.toBe(member.secret);
    const [event] = (await t.http.get('/api/v1/audit/events').query({ aggregateId: member.member.id, type: 'MemberWebhookSecretRotated' }).set(bearer(admin)).expect(200)).body.items;
    expect(event.payload).toEqual({ version: rotated.body.version, previousSecretValidUntil: new Date(rotatedAt.getTime() + 24 * HOUR).toISOString() });
    expect(JSON.stringify(event)).not.toContain(newSecret.slice(6));

    clock.advance(23 * HOUR);
    const [during] = await deliveryOfNewActivation(category, member.path);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiesWith(newSecret, during)).toBe(true);
    expect(verifiesWith(member.secret, during)).toBe(true);
    const legacy = String(during.headers['x-renfort-signature']);
    expect(legacy).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(member.secret, during.rawBody, legacy, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook(newSecret, during.rawBody, legacy, Math.floor(Date.now() / 1000))).toBe(true);

    clock.advance(1 * HOUR + 1000);
    const [after] = await deliveryOfNewActivation(category, member.path);
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifiesWith(newSecret, after)).toBe(true);
    expect(verifiesWith(member.secret, after)).toBe(false);
    expect(verifyWebhook(member.secret, after.rawBody, String(after.headers['x-renfort-signature']), Math.floor(Date.now() / 1000))).toBe(false);
    clock.set(new Date());
  });
});
