import cliProgress from 'cli-progress';

/**
 * Live progress of the activation in the terminal, from GET /activations/:id: a bar of the
 * requests settled (released, declined or stood down) and the counts by status, with notable
 * moments logged above. Without a terminal (a pipe, a file, a test) it prints a compact line
 * every few seconds instead.
 */

export interface ActivationProgress {
  status: string;
  requestCount: number;
  countsByStatus: Record<string, number>;
  escalated: number;
  deliveryFailures: number;
  requirements: { category: string; quantity: number; acceptedQuantity: number; metAt: string | null }[];
}

const WAITING = [['PENDING', 'pending'], ['NOTIFIED', 'notified'], ['ESCALATED', 'escalated']];
const ANSWERED = [['ACKNOWLEDGED', 'acknowledged'], ['ACCEPTED', 'accepted'], ['DEPLOYED', 'deployed']];
const OPEN = [...WAITING, ...ANSWERED];
const SETTLED = [['RELEASED', 'released'], ['DECLINED', 'declined'], ['STOOD_DOWN', 'stood down']];

function counts(progress: ActivationProgress, statuses: string[][]): string {
  return statuses.map(([status, label]) => `${label} ${progress.countsByStatus[status] ?? 0}`).join(' · ');
}

export function settledCount(progress: ActivationProgress): number {
  return SETTLED.reduce((sum, [status]) => sum + (progress.countsByStatus[status] ?? 0), 0);
}

export interface ProgressDisplay {
  /** A line of its own, above the live display. */
  log(line: string): void;
  update(progress: ActivationProgress, elapsedSeconds: number): void;
  /** Shows the last state whatever the refresh interval, and ends the live display. */
  finish(progress: ActivationProgress, elapsedSeconds: number): void;
}

export function progressDisplay(output: NodeJS.WritableStream, intervalMs: number): ProgressDisplay {
  return (output as NodeJS.WriteStream).isTTY ? new TerminalDisplay(output) : new LineDisplay(output, intervalMs);
}

class TerminalDisplay implements ProgressDisplay {
  private readonly bars: cliProgress.MultiBar;
  private settled: cliProgress.SingleBar | null = null;
  private lines: cliProgress.SingleBar[] = [];

  private stopped = false;

  constructor(private readonly output: NodeJS.WritableStream) {
    // The cursor stays visible and Ctrl-C keeps its default: an interrupted demo leaves the terminal as it was.
    this.bars = new cliProgress.MultiBar(
      { stream: output, hideCursor: false, gracefulExit: false, clearOnComplete: false, barsize: 24, fps: 5, linewrap: true, autopadding: true },
      cliProgress.Presets.shades_classic,
    );
  }

  log(line: string): void {
    // The bars print logged lines above themselves on their next redraw, only while they run.
    if (this.settled && !this.stopped) this.bars.log(`${line}\n`);
    else this.output.write(`${line}\n`);
  }

  update(progress: ActivationProgress, elapsedSeconds: number): void {
    // Four lines of at most 80 columns: the bar, then the counts waiting, answered and settled.
    const payload = {
      elapsed: elapsedSeconds.toFixed(0), status: progress.status,
      waiting: counts(progress, WAITING), answered: counts(progress, ANSWERED), done: counts(progress, SETTLED),
    };
    if (!this.settled) {
      this.settled = this.bars.create(progress.requestCount, 0, payload, { format: ' settled {bar} {value}/{total}  {percentage}%  +{elapsed} s  {status}' });
      this.lines = ['   waiting   {waiting}', '   answered  {answered}', '   settled   {done}'].map((format) => this.bars.create(1, 0, payload, { format }));
    }
    this.settled.setTotal(progress.requestCount);
    this.settled.update(settledCount(progress), payload);
    for (const line of this.lines) line.update(0, payload);
  }

  finish(progress: ActivationProgress, elapsedSeconds: number): void {
    this.update(progress, elapsedSeconds);
    this.bars.stop();
    this.stopped = true;
  }
}

class LineDisplay implements ProgressDisplay {
  private lastPrinted = 0;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly intervalMs: number,
  ) {}

  log(line: string): void {
    this.output.write(`${line}\n`);
  }

  update(progress: ActivationProgress, elapsedSeconds: number): void {
    if (Date.now() - this.lastPrinted < this.intervalMs) return;
    this.print(progress, elapsedSeconds);
  }

  finish(progress: ActivationProgress, elapsedSeconds: number): void {
    this.print(progress, elapsedSeconds);
  }

  private print(progress: ActivationProgress, elapsedSeconds: number): void {
    this.lastPrinted = Date.now();
    this.output.write(
      `[+${elapsedSeconds.toFixed(0)} s] ${settledCount(progress)}/${progress.requestCount} settled (${progress.status}) | ${counts(progress, OPEN)} | ${counts(progress, SETTLED)}\n`,
    );
  }
}
