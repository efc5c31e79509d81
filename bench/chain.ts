import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../config/database.js';
import { RECORD_EVENTS, SEAL_BATCH } from '../src/audit/persistence.js';
import { VerifyAuditChainHandler } from '../src/audit/queries/verify-audit-chain.js';
import { runMigrationsExclusively } from '../src/common/database/migrations-runner.js';
import { BenchFailure, machine, percentile, progressOf, recreateDatabase, runBench, SERVER_URL, table } from './support.js';

/*
 * Chain benchmark: how many commits per second the audit chain takes, each a transaction of
 * its own that records one event, from many connections at once, straight on PostgreSQL (no
 * HTTP, no application: the chain alone). Two ways of recording:
 * - pending, sealed in batches (how commands record since migration 1795300700000): the
 *   event goes to audit_event_pending, and a sealer calls audit_seal_pending() at the relay's
 *   pace, as the relay does;
 * - sealed at commit (how commands recorded before): the event goes straight to audit_event,
 *   whose trigger seals it under the chain lock, held until the commit has been flushed.
 * It prints commits/s, latencies and how many events waited to be sealed at most; it fails
 * when an event is missing from the chain or the chain does not verify.
 * Run with `npm run bench:chain` (`-- --seconds N` to change how long each run lasts).
 */

const DATABASE = 'renfort_bench_chain';
const CONNECTIONS = [20, 50];
const DEFAULT_SECONDS = 10;
/** The relay's default interval (RELAY_INTERVAL_MS). */
const SEAL_EVERY_MS = 200;

const progress = progressOf('bench:chain');

type Recording = 'pending, sealed in batches' | 'sealed at commit';

const TARGET: Record<Recording, string> = {
  'pending, sealed in batches': RECORD_EVENTS,
  'sealed at commit': `INSERT INTO audit_event (id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload)`,
};

interface Run {
  recording: Recording;
  connections: number;
  commits: number;
  seconds: number;
  /** Sorted, in milliseconds. */
  latencies: number[];
  mostPending: number;
}

function secondsArgument(argv: string[]): number {
  const index = argv.indexOf('--seconds');
  const value = index >= 0 ? argv[index + 1] : undefined;
  if (value === undefined) return DEFAULT_SECONDS;
  if (!/^[1-9][0-9]*$/.test(value)) throw new BenchFailure(`--seconds takes a positive whole number, not ${value}`);
  return Number(value);
}


/** Commits one event per transaction on every connection until the time is up; a sealer runs beside them. */
async function run(pool: pg.Pool, recording: Recording, connections: number, seconds: number): Promise<Run> {
  const statement = {
    name: `record-${recording === 'sealed at commit' ? 'sealed' : 'pending'}`,
    text: `${TARGET[recording]}
      VALUES (gen_random_uuid(), now(), NULL, 'SYSTEM', 'Probe', $1, 'ProbeRecorded', jsonb_build_object('connection', $2::int, 'n', $3::int))`,
  };
  const latencies: number[] = [];
  let mostPending = 0;
  let done = false;
  const sealer = (async () => {
    const client = await pool.connect();
    try {
      while (!done) {
        const { rows: [{ pending }] } = await client.query(`SELECT count(*)::int AS pending FROM audit_event_pending`);
        mostPending = Math.max(mostPending, pending as number);
        await client.query(`SELECT audit_seal_pending($1)`, [SEAL_BATCH]);
        await sleep(SEAL_EVERY_MS);
      }
    } finally {
      client.release();
    }
  })();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      const client = await pool.connect();
      try {
        for (let n = 0; performance.now() < deadline; n += 1) {
          const sent = performance.now();
          await client.query({ ...statement, values: [`chain-${connection}`, connection, n] });
          latencies.push(performance.now() - sent);
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  done = true;
  await sealer;
  latencies.sort((a, b) => a - b);
  return { recording, connections, commits: latencies.length, seconds: elapsed, latencies, mostPending };
}

async function main(): Promise<void> {
  const seconds = secondsArgument(process.argv.slice(2));
  await recreateDatabase(DATABASE);
  const dataSource = await new DataSource(dataSourceOptions(`${SERVER_URL}/${DATABASE}`)).initialize();
  const pool = new pg.Pool({ connectionString: `${SERVER_URL}/${DATABASE}`, max: Math.max(...CONNECTIONS) + 1 });
  const admin = new pg.Client({ connectionString: `${SERVER_URL}/${DATABASE}` });
  await admin.connect();
  try {
    await runMigrationsExclusively(dataSource);
    const runs: Run[] = [];
    for (const connections of CONNECTIONS) {
      for (const recording of Object.keys(TARGET) as Recording[]) {
        progress(`${recording}, ${connections} connections, ${seconds} s`);
        runs.push(await run(pool, recording, connections, seconds));
        await admin.query(`CHECKPOINT`);
      }
    }
    await admin.query(`SELECT audit_seal_pending(NULL)`);
    const committed = runs.reduce((sum, r) => sum + r.commits, 0);
    const [{ sealed }] = (await admin.query(`SELECT count(*)::int AS sealed FROM audit_event`)).rows as { sealed: number }[];
    const verification = await new VerifyAuditChainHandler(dataSource).execute();

    const ms = (value: number) => value.toFixed(1);
    process.stdout.write(`\nChain benchmark, ${new Date().toISOString()}\n${await machine(admin)}\n`);
    process.stdout.write(
      `each commit records one event in a transaction of its own (one statement), ${seconds} s per run, straight on PostgreSQL;\n` +
        `  pending events sealed every ${SEAL_EVERY_MS} ms, as the relay does\n\n`,
    );
    process.stdout.write(
      `${table([
        ['recording', 'connections', 'commits', 'commits/s', 'p50 ms', 'p99 ms', 'max ms', 'most pending'],
        ...runs.map((r) => [
          r.recording, String(r.connections), String(r.commits), (r.commits / r.seconds).toFixed(0),
          ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 99)), ms(r.latencies[r.latencies.length - 1]),
          r.recording === 'sealed at commit' ? '-' : String(r.mostPending),
        ]),
      ])}\n\n`,
    );
    process.stdout.write(`chain: ${sealed} events sealed of ${committed} committed; GET /audit/verify would answer valid ${verification.valid} over ${verification.checked}\n`);
    if (sealed !== committed) throw new BenchFailure(`${committed - sealed} committed events are missing from the chain`);
    if (!verification.valid) throw new BenchFailure(`the chain does not verify: ${JSON.stringify(verification)}`);
  } finally {
    await admin.end();
    await pool.end();
    await dataSource.destroy();
  }
}

runBench(main);
