import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ActivationEventStream } from './activation-event-stream.js';
import type { LiveEvent } from './activation-events.js';

class FakeResponse extends EventEmitter {
  text = '';
  ended = false;
  writableLength = 0;
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  end(): void {
    this.ended = true;
  }
  get ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
  }
}

const event = (sequence: number): LiveEvent => ({ sequence, activationId: 'a', message: `id: ${sequence}\nevent: E\ndata: {}\n\n` });
const events = (...sequences: number[]) => sequences.map(event);

describe('ActivationEventStream', () => {
  it('sends the replay, then what was kept meanwhile above it, once each and in order, then live events', async () => {
    const response = new FakeResponse();
    const stream = new ActivationEventStream(response as unknown as ServerResponse, 10);
    stream.open({});
    // Handed by the hub while the replay reads: 12 and 13 are also in the replay.
    stream.deliver(events(12, 13));
    const pages = [events(11, 12), events(13)];
    await stream.replay(async (after) => (pages.shift() ?? []).filter((e) => e.sequence > after), 2);
    stream.deliver(events(14));
    stream.deliver(events(13, 14, 15));
    expect(response.ids).toEqual([11, 12, 13, 14, 15]);
  });

  it('sends nothing at or below the sequence it resumes after', async () => {
    const response = new FakeResponse();
    const stream = new ActivationEventStream(response as unknown as ServerResponse, 20);
    await stream.replay(async () => [], 100);
    stream.deliver(events(19, 20, 21));
    expect(response.ids).toEqual([21]);
  });

  it('keeps the kept events when the replay reads nothing new, and stops on close', async () => {
    const response = new FakeResponse();
    const stream = new ActivationEventStream(response as unknown as ServerResponse, 0);
    stream.deliver(events(1, 2));
    await stream.replay(async () => [], 100);
    stream.close();
    stream.deliver(events(3));
    stream.heartbeat();
    expect(response.ids).toEqual([1, 2]);
    expect(response.ended).toBe(true);
    expect(response.text).not.toContain('heartbeat');
  });

  it('closes a client that falls too far behind: it resumes from the log', async () => {
    const response = new FakeResponse();
    const stream = new ActivationEventStream(response as unknown as ServerResponse, 0);
    await stream.replay(async () => [], 100);
    response.writableLength = 5 * 1024 * 1024;
    stream.deliver(events(1));
    expect(stream.isClosed).toBe(true);
    expect(response.ended).toBe(true);
  });
});
