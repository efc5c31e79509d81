import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/crisis/notifications/webhook-signature.js';

export interface Delivery {
  path: string;
  deliveryId: string;
  signature: string;
  rawBody: string;
  body: any;
  validSignature: boolean;
  receivedAt: number;
}

/**
 * A member's webhook endpoint on the loopback: records every delivery, checks its signature
 * with the secret registered for its path, and can be told to fail.
 */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly failures = new Map<string, number | 'always'>();
  private readonly failingDeliveries = new Map<string, number>();
  private server: Server;

  /** Milliseconds each answer waits, to keep deliveries in flight. */
  delayMs = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((request, response) => void receiver.handle(request, response));
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${path}`;
  }

  setSecret(path: string, secret: string): void {
    this.secrets.set(`/${path}`, secret);
  }

  /** The next `times` deliveries to this path answer 500 (or every one). */
  failNext(path: string, times: number | 'always'): void {
    this.failures.set(`/${path}`, times);
  }

  /** The next `times` deliveries under this delivery id answer 500, to whichever path. */
  failDelivery(deliveryId: string, times: number): void {
    this.failingDeliveries.set(deliveryId, times);
  }

  to(path: string): Delivery[] {
    return this.deliveries.filter((delivery) => delivery.path === `/${path}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '/';
    const signature = String(request.headers['x-renfort-signature'] ?? '');
    const secret = this.secrets.get(path);
    this.deliveries.push({
      path,
      deliveryId: String(request.headers['x-renfort-delivery'] ?? ''),
      signature,
      rawBody,
      body: JSON.parse(rawBody),
      validSignature: secret !== undefined && verifyWebhook(secret, rawBody, signature, Math.floor(Date.now() / 1000)),
      receivedAt: Date.now(),
    });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const deliveryId = String(request.headers['x-renfort-delivery'] ?? '');
    const failingDelivery = this.failingDeliveries.get(deliveryId) ?? 0;
    if (failingDelivery > 0) {
      this.failingDeliveries.set(deliveryId, failingDelivery - 1);
      response.writeHead(500).end('failing on purpose');
      return;
    }
    const failing = this.failures.get(path);
    if (failing === 'always' || (typeof failing === 'number' && failing > 0)) {
      if (typeof failing === 'number') this.failures.set(path, failing - 1);
      response.writeHead(500).end('failing on purpose');
      return;
    }
    response.writeHead(204).end();
  }
}
