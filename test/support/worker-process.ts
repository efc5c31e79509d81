import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AppConfig } from '../../config/app-config.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from './test-app.js';

const ENTRY = 'dist/src/worker.js';

/**
 * The queue workers and the outbox relay in a process of their own (`npm run start:worker`,
 * built by `npm test`), sharing the test application's database, Redis and queue prefix, so
 * that a test can kill it as a crash would.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  constructor(private readonly config: AppConfig) {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does it first)`);
  }

  start(): void {
    this.child = spawn(process.execPath, [ENTRY], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: this.config.databaseUrl ?? undefined,
        REDIS_URL: this.config.redisUrl ?? undefined,
        QUEUE_PREFIX: this.config.queuePrefix,
        JWT_SECRET: TEST_JWT_SECRET,
        ADMIN_EMAIL: TEST_ADMIN.email,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        PASSWORD_HASH_COST: '10',
        RUN_MIGRATIONS: 'false',
        RELAY_INTERVAL_MS: '50',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => this.output.push(String(chunk)));
    this.child.stderr?.on('data', (chunk) => this.output.push(String(chunk)));
  }

  /** SIGKILL: no shutdown hook runs, active jobs are left mid-flight. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
