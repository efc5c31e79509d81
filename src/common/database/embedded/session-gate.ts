/**
 * The embedded database is one PostgreSQL session shared by every connection of the process.
 * The gate lets one connection at a time use it, and keeps it with that connection for the whole
 * of a transaction, so that no statement of another connection ever runs inside it.
 */
export class SessionGate {
  private owner: object | null = null;
  private readonly waiting: { who: object; resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout }[] = [];

  constructor(private readonly waitLimitMs: number) {}

  isHeldBy(who: object): boolean {
    return this.owner === who;
  }

  /** Resolves once `who` holds the gate; fails after the wait limit rather than hang forever. */
  acquire(who: object): Promise<void> {
    if (this.owner === who) return Promise.resolve();
    if (this.owner === null && this.waiting.length === 0) {
      this.owner = who;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        who,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new Error(`the embedded database stayed busy for ${this.waitLimitMs} ms (one session, transactions run one at a time)`));
        }, this.waitLimitMs),
      };
      entry.timer.unref();
      this.waiting.push(entry);
    });
  }

  release(who: object): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    if (!next) {
      this.owner = null;
      return;
    }
    clearTimeout(next.timer);
    this.owner = next.who;
    next.resolve();
  }

  /** Drops `who` from the queue and gives the gate back if it held it (its connection closed). */
  forget(who: object): void {
    for (let index = this.waiting.length - 1; index >= 0; index -= 1) {
      const entry = this.waiting[index];
      if (entry.who !== who) continue;
      clearTimeout(entry.timer);
      this.waiting.splice(index, 1);
      entry.reject(new Error('connection closed'));
    }
    this.release(who);
  }
}
