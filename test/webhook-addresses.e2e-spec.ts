import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NO_ANSWER } from '../src/crisis/notifications/webhook-client.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { memberWithUser, validSiren } from './support/fixtures.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

/** Production settings; TestApp already gives the secrets, the database and Redis production requires. */
const PRODUCTION = { NODE_ENV: 'production', RELAY_INTERVAL_MS: '50', WEBHOOK_ATTEMPTS: '1', WEBHOOK_BACKOFF_MS: '50' };

/** A TCP endpoint on the loopback that counts the connections made to it and hangs up at once. */
class CountingEndpoint {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CountingEndpoint> {
    const endpoint: CountingEndpoint = new CountingEndpoint(
      createServer((socket) => {
        endpoint.connections += 1;
        socket.destroy();
      }),
    );
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A port on the loopback where nothing listens. */
async function closedPort(): Promise<number> {
  const endpoint = await CountingEndpoint.start();
  const { port } = endpoint;
  await endpoint.close();
  return port;
}

describe('Webhook addresses: where the service may send a member\'s webhooks', () => {
  describe('in production', () => {
    let t: TestApp;
    let admin: string;

    beforeAll(async () => {
      t = await TestApp.start({ env: { ...PRODUCTION, RUN_WORKERS: 'false' } });
      admin = await t.adminToken();
    });
    afterAll(async () => {
      await t.close();
    });

    const register = (siren: string, webhookUrl: string) =>
      t.http.post('/api/v1/members').set(bearer(admin)).send({ legalName: 'Test SAS', siren, charterSignedAt: '2017-03-21', charterSignatory: 'C. Martin', webhookUrl });

    it.each([
      ['plain http', 'http://alerts.example.fr/hook', 'webhookUrl must use https in production'],
      ['plain http to the loopback', 'http://127.0.0.1:9999/hook', 'webhookUrl must use https in production'],
      ['the loopback', 'https://127.0.0.1/hook', 'webhookUrl points at 127.0.0.1, a loopback address; only public addresses are allowed in production'],
      ['a private address', 'https://10.0.0.5:6379/', 'webhookUrl points at 10.0.0.5, a private address; only public addresses are allowed in production'],
      ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/', 'webhookUrl points at 169.254.169.254, a link-local address; only public addresses are allowed in production'],
      ['the IPv6 loopback', 'https://[::1]/hook', 'webhookUrl points at [::1], a loopback address; only public addresses are allowed in production'],
      ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook', 'webhookUrl points at [::ffff:7f00:1], a loopback address; only public addresses are allowed in production'],
      ['a name resolving to the loopback', 'https://localhost/hook', 'webhookUrl host localhost resolves to a loopback address; only public addresses are allowed in production'],
    ])('refuses %s with WEBHOOK.URL_NOT_ALLOWED and registers nothing', async (_, webhookUrl, message) => {
      const siren = validSiren();
      const refused = await register(siren, webhookUrl).expect(400);
      expect(refused.body).toMatchObject({ code: 'WEBHOOK.URL_NOT_ALLOWED', message, details: [{ field: 'webhookUrl' }] });
      expect(await t.db.query(`SELECT id FROM member WHERE siren = $1`, [siren])).toEqual([]);
    });

    it('accepts https to a public address', async () => {
      const created = await register(validSiren(), 'https://93.184.215.14/renfort').expect(201);
      expect(created.body.webhookUrl).toBe('https://93.184.215.14/renfort');
    });

    it('refuses a member\'s change of webhook to a private address and leaves the member as it was', async () => {
      const { member, user } = await memberWithUser(t);
      const refused = await t.http.patch(`/api/v1/members/${member.id}`).set(bearer(user.token)).send({ webhookUrl: 'https://192.168.1.10/hook' }).expect(400);
      expect(refused.body.code).toBe('WEBHOOK.URL_NOT_ALLOWED');
      const [row] = await t.db.query(`SELECT webhook_url, webhook_secret, version FROM member WHERE id = $1`, [member.id]);
      expect(row).toEqual({ webhook_url: null, webhook_secret: null, version: member.version });
      await t.sealEvents();
      expect(await t.db.query(`SELECT 1 FROM audit_event WHERE aggregate_id = $1 AND type = 'MemberUpdated'`, [member.id])).toEqual([]);
    });
  });

  describe('in production, with on-premises receivers named in WEBHOOK_ALLOWED_HOSTS', () => {
    let endpoint: CountingEndpoint;

    beforeAll(async () => {
      endpoint = await CountingEndpoint.start();
    });
    afterAll(async () => {
      await endpoint.close();
    });

    /** A member with its webhook at the URL given, and an activation requesting its asset, authorized. */
    async function activatedMember(t: TestApp, actors: CrisisActors, category: string, webhookUrl: string) {
      const member = await responder(t, actors.directorate, null, { category });
      await t.http.patch(`/api/v1/members/${member.member.id}`).set(bearer(member.user.token)).send({ webhookUrl }).expect(200);
      return member;
    }

    it('accepts a named host at registration and delivers to it, telling the member only that the delivery failed', async () => {
      const t = await TestApp.start({ env: { ...PRODUCTION, WEBHOOK_ALLOWED_HOSTS: 'localhost' } });
      try {
        const actors = await crisisActors(t);
        const { authorize, progress, requestsOf } = crisisCalls(t, actors);
        const category = await isolatedCategory(t);
        const hangingUp = await activatedMember(t, actors, category, `https://localhost:${endpoint.port}/hook`);
        const refusing = await activatedMember(t, actors, category, `https://localhost:${await closedPort()}/hook`);
        const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
        await authorize(activationId).expect(200);

        await eventually(async () => (await progress(activationId)).deliveryFailures === 2);
        expect(endpoint.connections).toBeGreaterThan(0);
        for (const member of [hangingUp, refusing]) {
          const [request] = await requestsOf(member.user.token, activationId);
          expect(request.deliveryError).toBe(NO_ANSWER);
          expect(request.deliveryError).not.toMatch(/localhost|127\.0\.0\.1|:\d+|E[A-Z]{4,}|socket|refused/);
        }
      } finally {
        await t.close();
      }
    });

    it('refuses, when delivering, a host accepted at registration that is no longer allowed', async () => {
      const allowing = await TestApp.start({ env: { ...PRODUCTION, WEBHOOK_ALLOWED_HOSTS: 'localhost', RUN_WORKERS: 'false' } });
      let actors: CrisisActors;
      let category: string;
      let member: Awaited<ReturnType<typeof activatedMember>>;
      try {
        actors = await crisisActors(allowing);
        category = await isolatedCategory(allowing);
        member = await activatedMember(allowing, actors, category, `https://localhost:${endpoint.port}/hook`);
      } finally {
        await allowing.close();
      }

      const t = await TestApp.start({ env: PRODUCTION });
      try {
        const { authorize, progress, requestsOf } = crisisCalls(t, actors);
        const before = endpoint.connections;
        const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
        await authorize(activationId).expect(200);

        await eventually(async () => (await progress(activationId)).deliveryFailures === 1);
        expect(endpoint.connections).toBe(before);
        const [request] = await requestsOf(member.user.token, activationId);
        expect(request.deliveryError).toBe(NO_ANSWER);
      } finally {
        await t.close();
      }
    });
  });

  describe('outside production', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ env: { WEBHOOK_ATTEMPTS: '1', WEBHOOK_BACKOFF_MS: '50' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('keeps the loopback open over plain http, and refuses other private addresses', async () => {
      const admin = await t.adminToken();
      const register = (webhookUrl: string) =>
        t.http.post('/api/v1/members').set(bearer(admin)).send({ legalName: 'Test SAS', siren: validSiren(), charterSignedAt: '2017-03-21', charterSignatory: 'C. Martin', webhookUrl });
      await register('http://localhost:9999/hook').expect(201);
      await register('http://[::1]:9999/hook').expect(201);
      expect((await register('https://10.0.0.5/hook').expect(400)).body.code).toBe('WEBHOOK.URL_NOT_ALLOWED');
      expect((await register('http://169.254.169.254/').expect(400)).body.code).toBe('WEBHOOK.URL_NOT_ALLOWED');
    });

    it('shows the member of a failing local endpoint neither its address, nor its port, nor the system error', async () => {
      const actors = await crisisActors(t);
      const { authorize, progress, requestsOf } = crisisCalls(t, actors);
      const category = await isolatedCategory(t);
      const member = await responder(t, actors.directorate, null, { category });
      const port = await closedPort();
      await t.http.patch(`/api/v1/members/${member.member.id}`).set(bearer(member.user.token)).send({ webhookUrl: `http://127.0.0.1:${port}/hook` }).expect(200);
      const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
      await authorize(activationId).expect(200);

      await eventually(async () => (await progress(activationId)).deliveryFailures === 1);
      const [request] = await requestsOf(member.user.token, activationId);
      expect(request.deliveryError).toBe(NO_ANSWER);
      expect(request.deliveryError).not.toContain(String(port));
      expect(request.deliveryError).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    });
  });
});
