import { setTimeout as sleep } from 'node:timers/promises';
import { BoundedSemaphore, SemaphoreFullError } from './bounded-semaphore.js';

/** A task that ends when the test says so. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => done, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedSemaphore', () => {
  it('runs no more tasks at once than its concurrency', async () => {
    const semaphore = new BoundedSemaphore(2, 10);
    const tasks = [pending(), pending(), pending(), pending()];
    const started: number[] = [];
    const runs = tasks.map((t, i) => semaphore.run(() => (started.push(i), t.task())));
    await settle();

    expect(started).toEqual([0, 1]);
    expect(semaphore.active).toBe(2);
    expect(semaphore.queued).toBe(2);

    tasks.forEach((t) => t.finish());
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(semaphore.active).toBe(0);
  });

  it('starts waiting tasks in their order of arrival', async () => {
    const semaphore = new BoundedSemaphore(1, 10);
    const first = pending();
    const order: string[] = [];
    const runs = [
      semaphore.run(() => first.task()),
      ...['b', 'c', 'd'].map((name) => semaphore.run(async () => void order.push(name))),
    ];
    await settle();
    expect(order).toEqual([]);

    first.finish();
    await Promise.all(runs);
    expect(order).toEqual(['b', 'c', 'd']);
  });

  it('refuses a task at once when every slot is busy and the queue is full, estimating the wait', async () => {
    const semaphore = new BoundedSemaphore(1, 1);
    await semaphore.run(() => sleep(20));
    const busy = pending();
    const running = semaphore.run(busy.task);
    const waiting = semaphore.run(async () => 'waited');

    const refusal = await semaphore.run(async () => 'never').catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(SemaphoreFullError);
    // Two tasks ahead and one slot: two rounds at the pace measured (about 20 ms a task).
    expect((refusal as SemaphoreFullError).expectedWaitMs).toBeGreaterThanOrEqual(30);
    busy.finish();
    await expect(running).resolves.toBeUndefined();
    await expect(waiting).resolves.toBe('waited');
  });

  it('frees the slot of a task that fails', async () => {
    const semaphore = new BoundedSemaphore(1, 0);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
  });

  it('with no queue, refuses whatever finds every slot busy', async () => {
    const semaphore = new BoundedSemaphore(1, 0);
    const busy = pending();
    const running = semaphore.run(busy.task);
    await expect(semaphore.run(async () => 'never')).rejects.toBeInstanceOf(SemaphoreFullError);
    busy.finish();
    await running;
  });
});
