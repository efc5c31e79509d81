import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ENTRY = path.resolve('dist/src/main.js');

/** One line of the service's output: a JSON log line, or text (Nest's console before the logger exists). */
export interface LogLine {
  level?: number;
  msg?: string;
  context?: string;
  [field: string]: unknown;
  /** The line as it was printed. */
  text: string;
}

/** The compiled service (`npm start`, built by `npm test`) in a child process, its output kept line by line. */
export class ServiceProcess {
  private readonly chunks: string[] = [];
  private child: ChildProcess | null = null;
  exit: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does it first)`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.chunks.join('');
  }

  lines(): LogLine[] {
    return this.output
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => {
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          return { ...parsed, text } as LogLine;
        } catch {
          return { text };
        }
      });
  }

  start(): void {
    const child = spawn(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port), PASSWORD_HASH_COST: '10', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => this.chunks.push(String(chunk)));
    child.stderr?.on('data', (chunk) => this.chunks.push(String(chunk)));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** Waits for a line of output that passes the check. */
  async line(check: (line: LogLine) => boolean, timeoutMs = 90_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines().find(check);
      if (found) return found;
      if (this.child?.exitCode !== null) throw new Error(`The service stopped:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`No such line within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM, as a terminal's Ctrl-C or a container stop; answers the exit code. */
  async stop(): Promise<number | null> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exit;
  }
}
