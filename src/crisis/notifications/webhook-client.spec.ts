import { Logger } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../../config/app-config.js';
import { type ResolveHost, WebhookUrlPolicy } from '../../registry/webhook-url-policy.js';
import { NO_ANSWER, WebhookClient, WebhookDeliveryError } from './webhook-client.js';

/** A member's endpoint on the loopback that counts the connections it accepts. */
class Endpoint {
  connections = 0;
  readonly paths: string[] = [];
  status = 204;
  headers: Record<string, string> = {};
  private constructor(readonly server: Server) {}

  static async start(): Promise<Endpoint> {
    const endpoint: Endpoint = new Endpoint(
      createServer((request, response) => {
        endpoint.paths.push(request.url ?? '');
        request.resume();
        // A connection per delivery, so that every delivery looks the host up again.
        response.writeHead(endpoint.status, { ...endpoint.headers, connection: 'close' }).end();
      }),
    );
    endpoint.server.on('connection', () => (endpoint.connections += 1));
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function clientWith(nodeEnv: 'production' | 'test', resolve: ResolveHost, allowedHosts: string[] = []): WebhookClient {
  const config = { nodeEnv, webhook: { attempts: 1, backoffMs: 10, allowedHosts } } as unknown as AppConfig;
  return new WebhookClient(config, new WebhookUrlPolicy(config, resolve));
}

async function failure(delivery: Promise<void>): Promise<WebhookDeliveryError> {
  const error = await delivery.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WebhookDeliveryError);
  return error as WebhookDeliveryError;
}

describe('WebhookClient', () => {
  let endpoint: Endpoint;
  const clients: WebhookClient[] = [];
  const client = (...args: Parameters<typeof clientWith>) => {
    const made = clientWith(...args);
    clients.push(made);
    return made;
  };

  const warnings: string[] = [];

  beforeAll(() => {
    const ignore = () => undefined;
    Logger.overrideLogger({ log: ignore, error: ignore, warn: (message: string) => warnings.push(message) });
  });

  beforeEach(async () => {
    warnings.length = 0;
    endpoint = await Endpoint.start();
  });

  afterEach(async () => {
    for (const made of clients.splice(0)) made.onModuleDestroy();
    await endpoint.close();
  });

  it('delivers to a name whose addresses pass the policy', async () => {
    await client('test', async () => ['127.0.0.1']).post(`http://receiver.member.example:${endpoint.port}/hook`, 'whsec_x', 'd1', { a: 1 });
    expect(endpoint.paths).toEqual(['/hook']);
  });

  it('refuses, when it connects, a name accepted at registration that now resolves to a private address', async () => {
    let addresses = ['127.0.0.1'];
    const rebinding = client('test', async () => addresses);
    const url = `http://receiver.member.example:${endpoint.port}/hook`;
    await rebinding.post(url, 'whsec_x', 'd1', {});
    addresses = ['10.0.0.5', '127.0.0.1'];

    const error = await failure(rebinding.post(url, 'whsec_x', 'd2', {}));
    expect(error.message).toBe(NO_ANSWER);
    expect(error.detail).toContain('resolves to a private address');
    expect(endpoint.connections).toBe(1);
  });

  it('in production, refuses a name resolving to the loopback without connecting', async () => {
    const error = await failure(client('production', async () => ['127.0.0.1']).post(`https://receiver.member.example:${endpoint.port}/hook`, 'whsec_x', 'd1', {}));
    expect(error.message).toBe(NO_ANSWER);
    expect(error.detail).toContain('a loopback address');
    expect(endpoint.connections).toBe(0);
  });

  it('in production, refuses a stored plain http URL or a private address literal without connecting', async () => {
    const production = client('production', async () => ['93.184.215.14']);
    expect((await failure(production.post(`http://receiver.member.example:${endpoint.port}/`, 'whsec_x', 'd1', {}))).detail).toContain('must use https');
    expect((await failure(production.post(`https://127.0.0.1:${endpoint.port}/`, 'whsec_x', 'd1', {}))).detail).toContain('a loopback address');
    expect(endpoint.connections).toBe(0);
  });

  it('connects to a private address of a host named in WEBHOOK_ALLOWED_HOSTS', async () => {
    // The endpoint speaks plain http: the TLS handshake fails, after the connection was made.
    const onPremises = client('production', async () => ['127.0.0.1'], ['receiver.on-premises.example']);
    const error = await failure(onPremises.post(`https://receiver.on-premises.example:${endpoint.port}/hook`, 'whsec_x', 'd1', {}));
    expect(error.message).toBe(NO_ANSWER);
    expect(endpoint.connections).toBe(1);
  });

  it('tells the member the HTTP status the endpoint answered, and nothing more', async () => {
    endpoint.status = 503;
    const error = await failure(client('test', async () => ['127.0.0.1']).post(`http://127.0.0.1:${endpoint.port}/hook?token=s3cret`, 'whsec_x', 'd1', {}));
    expect(error.message).toBe('Not delivered: the endpoint answered HTTP 503');
    expect(error.detail).toBe(`POST http://127.0.0.1:${endpoint.port} failed: answered 503`);
  });

  it('does not follow a redirect', async () => {
    endpoint.status = 307;
    endpoint.headers = { location: '/elsewhere' };
    const error = await failure(client('test', async () => ['127.0.0.1']).post(`http://127.0.0.1:${endpoint.port}/hook`, 'whsec_x', 'd1', {}));
    expect(error.message).toBe('Not delivered: the endpoint answered HTTP 307');
    expect(endpoint.paths).toEqual(['/hook']);
  });

  it('keeps the address, the port and the system error of a failed connection out of the member-visible message', async () => {
    const port = endpoint.port;
    await endpoint.close();
    const error = await failure(client('test', async () => ['127.0.0.1']).post(`http://127.0.0.1:${port}/hook`, 'whsec_x', 'd1', {}));
    endpoint = await Endpoint.start();
    expect(error.message).toBe(NO_ANSWER);
    expect(error.detail).toContain('ECONNREFUSED');
    expect(warnings).toEqual([`delivery d1 not delivered: ${error.detail}`]);
  });
});
