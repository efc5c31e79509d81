import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { verifyWebhook } from '../src/crisis/notifications/webhook-signature.js';

/** What one responder set's endpoints received. */
export interface SinkTally {
  /** `performance.now()` of the first POST, if any. */
  firstAt: number | null;
  posts: number;
  /** Sum of `requests.length` over every POST, redeliveries included. */
  requests: number;
  /** Each request id and the delivery id it first came under. */
  deliveryOf: Map<string, string>;
  deliveryIdsByPath: Map<string, Set<string>>;
  /** Requests that came again under another delivery id: a member could not tell it is the same. */
  conflicts: string[];
  signaturesChecked: number;
  badSignatures: string[];
}

interface Waiter {
  segment: string;
  count: number;
  resolve: (at: number) => void;
}

/**
 * Members' webhook endpoints on the loopback, all in one server: `/<segment>/<n>` is member n
 * of a responder set. It keeps what the checks need rather than the bodies, verifies the
 * signature of each member's first delivery with the secret the seed gave that member (one
 * sample per secret, so that verifying does not weigh on the timings), and answers 204 at once.
 */
export class WebhookSink {
  private readonly tallies = new Map<string, SinkTally>();
  private waiters: Waiter[] = [];
  private server: Server;

  private constructor(private readonly secretOf: (segment: string, n: string) => string) {}

  static async start(secretOf: (segment: string, n: string) => string): Promise<WebhookSink> {
    const sink = new WebhookSink(secretOf);
    sink.server = createServer((request, response) => void sink.handle(request, response));
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  tally(segment: string): SinkTally {
    let tally = this.tallies.get(segment);
    if (!tally) {
      tally = { firstAt: null, posts: 0, requests: 0, deliveryOf: new Map(), deliveryIdsByPath: new Map(), conflicts: [], signaturesChecked: 0, badSignatures: [] };
      this.tallies.set(segment, tally);
    }
    return tally;
  }

  /** Resolves with the `performance.now()` at which the segment had received `count` distinct requests. */
  whenReceived(segment: string, count: number): Promise<number> {
    if (this.tally(segment).deliveryOf.size >= count) return Promise.resolve(performance.now());
    return new Promise((resolve) => this.waiters.push({ segment, count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const [, segment, n] = (request.url ?? '/').split('/');
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: { requests?: { id: string }[] };
    try {
      body = JSON.parse(rawBody);
    } catch {
      response.writeHead(400).end();
      return;
    }
    response.writeHead(204).end();

    const tally = this.tally(segment);
    const path = request.url!;
    const deliveryId = String(request.headers['x-renfort-delivery'] ?? '');
    tally.firstAt ??= performance.now();
    tally.posts += 1;
    if (!tally.deliveryIdsByPath.has(path)) {
      tally.deliveryIdsByPath.set(path, new Set());
      tally.signaturesChecked += 1;
      const signature = String(request.headers['x-renfort-signature'] ?? '');
      if (!verifyWebhook(this.secretOf(segment, n), rawBody, signature, Math.floor(Date.now() / 1000))) tally.badSignatures.push(path);
    }
    tally.deliveryIdsByPath.get(path)!.add(deliveryId);
    for (const { id } of body.requests ?? []) {
      tally.requests += 1;
      const earlier = tally.deliveryOf.get(id);
      if (earlier === undefined) tally.deliveryOf.set(id, deliveryId);
      else if (earlier !== deliveryId) tally.conflicts.push(id);
    }
    this.wake(segment, tally.deliveryOf.size);
  }

  private wake(segment: string, received: number): void {
    const now = performance.now();
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.segment !== segment || received < waiter.count) return true;
      waiter.resolve(now);
      return false;
    });
  }
}
