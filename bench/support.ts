import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type AppConfig, loadAppConfig } from '../config/app-config.js';

/** What every benchmark shares: its own database and queue prefix, HTTP as a client sees it, the printed table. */

export const SERVER_URL = 'postgres://postgres@127.0.0.1:5432';
export const BENCH_DATABASE = 'renfort_bench';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const BENCH_ADMIN = { email: 'admin@renfort-bench.local', password: 'renfort-bench-admin-password' };
const USER_PASSWORD = 'renfort-bench-user-password';
const REQUEST_TIMEOUT_MS = 60_000;

/** A functional failure: reported without a stack, and the benchmark exits non-zero. */
export class BenchFailure extends Error {}

export async function recreateDatabase(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

export interface Answer {
  status: number;
  text: string;
  latencyMs: number;
}

/** One request, timed until its body has arrived in full. */
export async function request(url: string, options: { method?: 'GET' | 'POST'; token?: string; body?: unknown } = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, text, latencyMs: performance.now() - started };
}

export async function post<T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> {
  const { status, text } = await request(`${baseUrl}${path}`, { method: 'POST', token, body });
  if (status >= 300) throw new BenchFailure(`POST ${path} answered ${status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  return (await post<{ accessToken: string }>(baseUrl, '/api/v1/auth/login', { email, password })).accessToken;
}

/** Creates a user of that role through the API (as the ADMIN would) and signs it in. */
export async function signedInUser(baseUrl: string, adminToken: string, role: string, extra: Record<string, string> = {}): Promise<string> {
  const email = `${role.toLowerCase().replace('_', '-')}@renfort-bench.local`;
  await post(baseUrl, '/api/v1/users', { email, password: USER_PASSWORD, role, ...extra }, adminToken);
  return signIn(baseUrl, email, USER_PASSWORD);
}

/** Aligned columns: the first to the left, the others to the right, a rule under the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
      return index === 0 ? `${line}\n${widths.map((width) => '-'.repeat(width)).join('  ')}` : line;
    })
    .join('\n');
}

export async function machine(db: pg.Client): Promise<string> {
  const cpus = os.cpus();
  const [{ server_version: postgres }] = (await db.query(`SHOW server_version`)).rows as { server_version: string }[];
  return `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, PostgreSQL ${postgres}`;
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/** Progress goes to stderr, so that stdout holds only the figures. */
export function progressOf(name: string): (message: string) => void {
  return (message) => process.stderr.write(`${name}: ${message}\n`);
}

/** Runs a benchmark's main and exits: 0 once it printed its figures, 1 on any failure. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof BenchFailure ? error.message : ((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}

/** Benchmarks run on PostgreSQL and Redis servers, never on the embedded database. */
export type ServerConfig = AppConfig & { readonly databaseUrl: string; readonly redisUrl: string };

/**
 * The configuration of a benchmark's application: its own database and queue prefix, the
 * bench admin, no workers and warnings only unless the benchmark says otherwise.
 */
export function benchConfig(database: string, queuePrefix: string, env: Record<string, string> = {}): ServerConfig {
  return loadAppConfig(benchEnvironment(database, queuePrefix, env)) as ServerConfig;
}

/** The environment behind `benchConfig`, for a worker process started beside the benchmark. */
export function benchEnvironment(database: string, queuePrefix: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: `${SERVER_URL}/${database}`,
    REDIS_URL,
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_COST: '10',
    RUN_WORKERS: 'false',
    QUEUE_PREFIX: queuePrefix,
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  };
}

export interface WorkerProcess {
  /** SIGTERM, then waits until it has closed its queues and connections. */
  stop(): Promise<void>;
}

/**
 * `node dist/src/worker.js` with that environment: the queue processors and the outbox relay
 * in a process of their own, as deployed. Answers once it reports them running.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [new URL('../src/worker.js', import.meta.url).pathname], {
    // At 'info' for the line that says it is ready; the worker logs little more than that.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('queue processors and outbox relay running')) {
        child.stdout.off('data', onData);
        // What the worker logs from then on (a failing job, a lost connection) goes with the progress lines.
        child.stdout.pipe(process.stderr);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    void exited.then(([code]) => reject(new BenchFailure(`the worker process exited (code ${code}) before it was ready:\n${output}`)));
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
