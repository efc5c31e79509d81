import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
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

/** Nearest-rank percentile of sorted values (NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function machine(db: pg.ClientBase): Promise<string> {
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
  pid: number;
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
      // The worker's one start-up line (src/common/startup-summary.ts, workerSummary).
      if (output.includes('running the queue processors and the outbox relay')) {
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
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const TICK_MS = 10;

/** The CPU time every process has used so far, and the machine's idle time, from /proc (Linux). */
export interface CpuSnapshot {
  at: number;
  byPid: Map<number, { name: string; ms: number }>;
  /** This process's main thread (its event loop) alone. */
  mainThreadMs: number;
  idleMs: number;
}

/** A process's (or a thread's) name and CPU time from its /proc stat line. */
function statOf(path: string): { name: string; ms: number } {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, the 14th and 15th fields of the line (the 12th and 13th after the name and state).
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
}

export function cpuSnapshot(): CpuSnapshot {
  const byPid = new Map<number, { name: string; ms: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      byPid.set(Number(entry), statOf(`/proc/${entry}/stat`));
    } catch {
      // The process ended meanwhile.
    }
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  return {
    at: performance.now(),
    byPid,
    mainThreadMs: statOf(`/proc/${process.pid}/task/${process.pid}/stat`).ms,
    // idle and iowait, summed over the cores.
    idleMs: (Number(cpu[4]) + Number(cpu[5])) * TICK_MS,
  };
}

/**
 * CPU used between two snapshots, in milliseconds per second of wall time, by group of
 * processes (the first group a process matches), then `other`, `idle`, and this process's
 * main thread (also counted in its group). A process that
 * started in between counts whole; one that ended in between is missed.
 */
export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, groups: { name: string; matches: (pid: number, name: string) => boolean }[]): Map<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const used = new Map<string, number>([...groups.map((group) => [group.name, 0] as [string, number]), ['other', 0]]);
  for (const [pid, { name, ms }] of after.byPid) {
    const previous = before.byPid.get(pid);
    const delta = ms - (previous?.ms ?? 0);
    const group = groups.find((candidate) => candidate.matches(pid, name))?.name ?? 'other';
    used.set(group, used.get(group)! + delta);
  }
  used.set('idle', after.idleMs - before.idleMs);
  used.set('main thread', after.mainThreadMs - before.mainThreadMs);
  for (const [group, ms] of used) used.set(group, ms / seconds);
  return used;
}

/** What cpuUse found the machine busy with, every group and `other`, in ms/s: all but idle. */
export function busyOf(use: Map<string, number>): number {
  return [...use].reduce((sum, [group, ms]) => (group === 'idle' || group === 'main thread' ? sum : sum + ms), 0);
}
