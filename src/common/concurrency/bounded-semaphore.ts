/** Refusal of a task when every slot is busy and the wait queue is full. */
export class SemaphoreFullError extends Error {
  constructor(
    /** How long the tasks already admitted should take to drain, at the pace measured so far. */
    readonly expectedWaitMs: number,
  ) {
    super('Every slot is busy and the wait queue is full');
    this.name = 'SemaphoreFullError';
  }
}

/**
 * Runs at most `concurrency` tasks at once; up to `queueLimit` more wait their turn in arrival
 * order, and any task beyond that is refused at once: a flood meets a quick refusal instead
 * of a wait that grows with it.
 */
export class BoundedSemaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of task durations, for the refusal's wait estimate. */
  private averageTaskMs = 0;

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (!Number.isInteger(queueLimit) || queueLimit < 0) throw new RangeError('queueLimit must be a non-negative integer');
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = performance.now();
    try {
      return await task();
    } finally {
      const elapsed = performance.now() - started;
      this.averageTaskMs = this.averageTaskMs === 0 ? elapsed : this.averageTaskMs * 0.8 + elapsed * 0.2;
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      const rounds = Math.ceil((this.running + this.waiting.length) / this.concurrency);
      return Promise.reject(new SemaphoreFullError(rounds * this.averageTaskMs));
    }
    // The slot passes straight from the task that ends to the one that waited longest.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
