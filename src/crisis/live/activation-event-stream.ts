import type { ServerResponse } from 'node:http';
import type { LiveEvent } from './activation-events.js';
import type { EventSink } from './activation-event-hub.js';

/** How long a browser waits before it reconnects (the SSE `retry:` hint). */
export const RETRY_MS = 3000;

/**
 * What a client may leave unread before its stream is closed: it reconnects with Last-Event-ID
 * and replays from the log, rather than the process holding its backlog.
 */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/**
 * One open stream of an activation's events. Subscribed to the hub before it replays, it keeps
 * what the hub hands it meanwhile, replays from the log what the client missed, then sends the
 * kept events it has not sent yet and goes live: no gap (every event committed before the
 * replay read is in it, every later one comes from the hub) and no duplicate (nothing at or
 * below the last sequence sent goes out twice).
 */
export class ActivationEventStream implements EventSink {
  private kept: LiveEvent[] | null = [];
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    private lastSent: number,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Headers, the reconnection hint and a first comment (so that the client sees the stream open). */
  open(headers: Record<string, string>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx) must pass each message on at once.
      'x-accel-buffering': 'no',
    });
    this.response.write(`retry: ${RETRY_MS}\n: events after #${this.lastSent}\n\n`);
  }

  /** Sends what the client missed, page by page (`read` answers the events after a sequence), then goes live. */
  async replay(read: (after: number) => Promise<LiveEvent[]>, pageSize: number): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const events = await read(this.lastSent);
      if (!this.write(events)) await this.drained();
      if (events.length < pageSize) break;
    }
    const kept = this.kept ?? [];
    this.kept = null;
    this.write(kept);
  }

  deliver(events: LiveEvent[]): void {
    if (this.closed) return;
    if (this.kept) {
      this.kept.push(...events);
      return;
    }
    this.write(events);
    if (this.response.writableLength > MAX_UNREAD_BYTES) this.close();
  }

  heartbeat(): void {
    if (!this.closed) this.response.write(': heartbeat\n\n');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.kept = null;
    this.response.end();
  }

  /** Marks the stream closed when the client went away. */
  gone(): void {
    this.closed = true;
    this.kept = null;
  }

  /** Writes the events not sent yet; answers false when the socket's buffer is full. */
  private write(events: LiveEvent[]): boolean {
    if (this.closed) return true;
    let text = '';
    for (const event of events) {
      if (event.sequence <= this.lastSent) continue;
      text += event.message;
      this.lastSent = event.sequence;
    }
    return text.length === 0 ? true : this.response.write(text);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }
}
