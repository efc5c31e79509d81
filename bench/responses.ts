import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Queue } from 'bullmq';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { DOMAIN_EVENTS_QUEUE } from '../src/audit/relay/queues.js';
import {
  type ActionOutcomes, type LoadMessage, type LoadPlan, type LoadResult, RESPONSE_ACTIONS, type ResponseAction,
} from './response-load.js';
import { RESPONDER_DEPARTEMENT, type ResponderSet, seedResponders, webhookSecret } from './seed-responders.js';
import {
  BENCH_ADMIN, BenchFailure, busyOf, cpuSnapshot, type CpuSnapshot, cpuUse, deleteRedisKeys, machine, percentile, post, progressOf, recreateDatabase, REDIS_URL, request, runBench, signedInUser, signIn,
  startWorkerProcess, table, benchConfig, benchEnvironment,
} from './support.js';
import { WebhookSink } from './webhook-sink.js';

/*
 * Responses benchmark: members acknowledge and accept their mobilization requests over HTTP,
 * many at once, through the real application (guard, rate limit, CQRS, the requirement and
 * request row locks, the hash-chained audit append, commit), while a second activation fans
 * out to 10,000 other assets and its deliveries run. The API runs in this process, the queue
 * workers and the relay in a worker process of their own, as deployed. It first runs bench:floor
 * (`--no-floor` skips it), then prints throughput and latencies against their targets (at least half
 * the floor; p99 under 100 ms once the fan-out is delivered; no error) and asserts none of them; it fails
 * when the database disagrees with the answers: a lost or phantom update, a requirement
 * filled beyond its quantity, an audit event missing or doubled, a broken chain, a 5xx or
 * any answer other than 200 and the 409 of a stood-down request.
 * Run with `npm run bench:responses` (`-- --connections N` to change the concurrency).
 */

const DATABASE = 'renfort_bench_responses';
const CRISIS_TYPE = 'NATURAL_DISASTER';
/** The responding members poll (no webhook): fifty per category, fifty assets each. */
const RESPONDING_CATEGORIES = ['DRONE', 'SECURE_TELECOM', 'URBAN_SECURITY', 'CYBER_EXPERT'];
const MEMBERS_PER_CATEGORY = 50;
const ASSETS_PER_MEMBER = 50;
/**
 * What each category's requirement asks, as a share of its assets. Below 1 the requirement
 * is met before every member has answered: the accept that meets it stands the others down,
 * and their later answers get 409 REQUEST.STOOD_DOWN.
 */
const REQUIREMENT_SHARES = [1, 0.9, 0.1, 0.04];
const FAN_OUT: ResponderSet = {
  segment: 'fan-out', category: 'SOFTWARE', members: 500, assets: 10_000, sirenOffset: RESPONDING_CATEGORIES.length * MEMBERS_PER_CATEGORY,
};
const DEFAULT_CONNECTIONS = 50;
const MAX_LOAD_SECONDS = 30;
const REQUEST_TIMEOUT_SECONDS = 10;
/** The fan-out is authorized this long after the load started, so that it runs in the middle of it. */
const FAN_OUT_AFTER_MS = 2_000;
const WAIT_LIMIT_MS = 5 * 60_000;
const POLL_MS = 100;
const MEMBER_PASSWORD = 'renfort-bench-member-password';
const SIGN_UP_CONCURRENCY = 8;
const STOOD_DOWN = 'REQUEST.STOOD_DOWN';
/** The statuses a request may be in once it was acknowledged (stood down included: the stand-down may come after). */
const ACKNOWLEDGED_OR_LATER = ['ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'DEPLOYED', 'RELEASED', 'STOOD_DOWN'];

const progress = progressOf('bench:responses');

/** `--connections N` or `--connections=N`, a positive whole number. */
function connectionsArgument(argv: string[]): number {
  const index = argv.indexOf('--connections');
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--connections='))?.slice('--connections='.length);
  if (value === undefined) return DEFAULT_CONNECTIONS;
  if (!/^[1-9][0-9]*$/.test(value)) throw new BenchFailure(`--connections takes a positive whole number, not ${value}`);
  return Number(value);
}

/** Polls until the check holds; answers the `performance.now()` at which it did. */
async function until(what: string, check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new BenchFailure(`${what}: still not the case after ${WAIT_LIMIT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

async function countWithStatus(db: pg.Client, activationId: string, status: string): Promise<number> {
  const [{ count }] = (
    await db.query(`SELECT count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 AND status = $2`, [activationId, status])
  ).rows as { count: number }[];
  return count;
}

/** Every committed event handed to BullMQ and handled by its subscribers. */
async function relayCaughtUp(db: pg.Client, domainEvents: Queue): Promise<boolean> {
  const [{ behind }] = (
    await db.query(
      `SELECT (SELECT coalesce(max(sequence), 0) FROM audit_event) - (SELECT last_sequence FROM outbox_cursor WHERE name = 'domain-events') AS behind`,
    )
  ).rows as { behind: string }[];
  return Number(behind) === 0 && (await domainEvents.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')) === 0;
}

async function inPool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/** One MEMBER user per member, created by the ADMIN through the API, each signed in. */
async function memberTokens(baseUrl: string, adminToken: string, memberIds: string[]): Promise<string[]> {
  return inPool(memberIds, SIGN_UP_CONCURRENCY, async (memberId, index) => {
    const email = `duty-${index + 1}@members.renfort-bench.local`;
    await post(baseUrl, '/api/v1/users', { email, password: MEMBER_PASSWORD, role: 'MEMBER', memberId }, adminToken);
    return signIn(baseUrl, email, MEMBER_PASSWORD);
  });
}

/** Runs the load in a worker thread; `onStart` is called when its first connections open. */
async function runLoad(plan: LoadPlan, onStart: () => void): Promise<LoadResult> {
  const worker = new Worker(new URL('./response-load.js', import.meta.url), { workerData: plan });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.on('message', (message: LoadMessage) => (message.kind === 'started' ? onStart() : resolve(message.result)));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new BenchFailure(`the load generator exited (code ${code}) before reporting`)));
    });
  } finally {
    await worker.terminate();
  }
}

interface FanOutFigures {
  requestCount: number;
  /** The processes' CPU time when every request was NOTIFIED. */
  cpuAtNotified: CpuSnapshot;
  /** Milliseconds from the start of the load. */
  authorizedAt: number;
  committedAt: number;
  deliveredAt: number;
  notifiedAt: number;
}

/** Authorizes the fan-out and follows it until every request is delivered and NOTIFIED. */
async function runFanOut(context: { baseUrl: string; minister: string; db: pg.Client; sink: WebhookSink }, activationId: string, origin: number): Promise<FanOutFigures> {
  const { baseUrl, minister, db, sink } = context;
  const authorizedAt = performance.now() - origin;
  const { requestCount } = await post<{ requestCount: number }>(baseUrl, `/api/v1/activations/${activationId}/authorize`, {}, minister);
  const committedAt = performance.now() - origin;
  const [delivered, notified] = await Promise.all([
    Promise.race([
      sink.whenReceived(FAN_OUT.segment, FAN_OUT.assets),
      sleep(WAIT_LIMIT_MS, undefined, { ref: false }).then(() => {
        throw new BenchFailure(`fan-out: not every request delivered after ${WAIT_LIMIT_MS / 1000} s`);
      }),
    ]),
    until('fan-out: every request NOTIFIED', async () => (await countWithStatus(db, activationId, 'NOTIFIED')) >= FAN_OUT.assets),
  ]);
  return { requestCount, cpuAtNotified: cpuSnapshot(), authorizedAt, committedAt, deliveredAt: delivered - origin, notifiedAt: notified - origin };
}

/** How one action's answers came back. */
interface ActionTally {
  sent: number;
  ok: number;
  stoodDown: number;
  /** Answers other than 200 and 409 REQUEST.STOOD_DOWN, by `status code`. */
  unexpected: Map<string, number>;
  unanswered: number;
  /** Sorted, of every answer, then of the 200s and of the 409 REQUEST.STOOD_DOWN alone. */
  latencies: number[];
  okLatencies: number[];
  stoodDownLatencies: number[];
}

function tallyOf(outcomes: ActionOutcomes[]): ActionTally {
  const tally: ActionTally = {
    sent: 0, ok: 0, stoodDown: 0, unexpected: new Map(), unanswered: 0, latencies: [], okLatencies: [], stoodDownLatencies: [],
  };
  for (const { sent, status, latencyMs, codes } of outcomes) {
    for (let i = 0; i < sent.length; i += 1) {
      if (!sent[i]) continue;
      tally.sent += 1;
      if (status[i] === 0) {
        tally.unanswered += 1;
        continue;
      }
      tally.latencies.push(latencyMs[i]);
      if (status[i] === 200) {
        tally.ok += 1;
        tally.okLatencies.push(latencyMs[i]);
      } else if (status[i] === 409 && codes.get(i) === STOOD_DOWN) {
        tally.stoodDown += 1;
        tally.stoodDownLatencies.push(latencyMs[i]);
      } else {
        const key = `${status[i]} ${codes.get(i)}`;
        tally.unexpected.set(key, (tally.unexpected.get(key) ?? 0) + 1);
      }
    }
  }
  for (const latencies of [tally.latencies, tally.okLatencies, tally.stoodDownLatencies]) latencies.sort((a, b) => a - b);
  return tally;
}


const unexpectedCount = (tally: ActionTally) => [...tally.unexpected.values()].reduce((sum, count) => sum + count, 0);

function latencyCells(sorted: number[]): string[] {
  const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));
  return [ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1] ?? NaN)];
}

function tallyRow(name: string, tally: ActionTally): string[] {
  return [
    name, String(tally.sent), String(tally.ok), String(tally.stoodDown), String(unexpectedCount(tally)), String(tally.unanswered),
    ...latencyCells(tally.latencies),
  ];
}

/** The same answers split by outcome: the stood-down refusals cost less than the answers that commit. */
function outcomeRows(tally: ActionTally): string[][] {
  return [
    ['  of which 200', '', String(tally.ok), '', '', '', ...latencyCells(tally.okLatencies)],
    ['  of which 409 stood down', '', '', String(tally.stoodDown), '', '', ...latencyCells(tally.stoodDownLatencies)],
  ];
}

/**
 * Where the processor time went in each phase of the load (while the fan-out was delivered,
 * then after), in ms of CPU per second over the machine's cores, and per answer for the API's
 * event loop (its main thread, without the load generator's), PostgreSQL and everything but
 * idle; then how many answers a second the cores would allow at that cost, none of them idle.
 * Answers per phase come from the per-second counts, to the nearest second.
 */
function cpuRows(
  phases: { name: string; from: CpuSnapshot; to: CpuSnapshot; fromSecond: number; toSecond: number }[],
  perSecond: number[],
  workerPid: number,
): string[][] {
  const groups = [
    { name: 'API', matches: (pid: number) => pid === process.pid },
    { name: 'worker', matches: (pid: number) => pid === workerPid },
    { name: 'PostgreSQL', matches: (_pid: number, name: string) => name === 'postgres' },
    { name: 'Redis', matches: (_pid: number, name: string) => name.startsWith('redis-server') },
  ];
  const header = [
    'phase', 's', 'answers/s', 'API + load ms/s', 'of which API event loop', 'worker ms/s', 'PostgreSQL ms/s', 'Redis ms/s', 'other ms/s', 'idle ms/s',
    'event loop ms/answer', 'PostgreSQL ms/answer', 'all ms/answer', 'answers/s the cores allow',
  ];
  return [
    header,
    ...phases.map(({ name, from, to, fromSecond, toSecond }) => {
      const use = cpuUse(from, to, groups);
      const seconds = (to.at - from.at) / 1000;
      const rate = perSecond.slice(fromSecond, toSecond).reduce((sum, n) => sum + n, 0) / Math.max(1, toSecond - fromSecond);
      const ms = (group: string) => use.get(group)!.toFixed(0);
      const perAnswer = (group: string) => (rate > 0 ? (use.get(group)! / rate).toFixed(2) : '-');
      // Everything the machine did but idle, the load generator included: what each answer costs the cores.
      const busy = busyOf(use);
      const cores = os.cpus().length;
      return [
        name, seconds.toFixed(1), rate.toFixed(0), ms('API'), ms('main thread'), ms('worker'), ms('PostgreSQL'), ms('Redis'), ms('other'), ms('idle'),
        perAnswer('main thread'), perAnswer('PostgreSQL'), rate > 0 ? (busy / rate).toFixed(2) : '-', rate > 0 ? ((cores * 1000) / (busy / rate)).toFixed(0) : '-',
      ];
    }),
  ];
}

interface Check {
  name: string;
  problem: string | null;
}

interface RequirementState {
  category: string;
  quantity: number;
  accepted_quantity: number;
  met: boolean;
  counted: number;
  accepted: number;
  stood_down: number;
  open: number;
  requests: number;
}

/** The requirements as the database holds them, each beside the sum of its ACCEPTED requests. */
async function requirementStates(db: pg.Client, activationId: string): Promise<RequirementState[]> {
  return (
    await db.query(
      `SELECT r.category, r.quantity, r.accepted_quantity, r.met_at IS NOT NULL AS met,
              coalesce(sum(q.accepted_quantity) FILTER (WHERE q.status = 'ACCEPTED'), 0)::int AS counted,
              count(*) FILTER (WHERE q.status = 'ACCEPTED')::int AS accepted,
              count(*) FILTER (WHERE q.status = 'STOOD_DOWN')::int AS stood_down,
              count(*) FILTER (WHERE q.status IN ('PENDING','NOTIFIED','ESCALATED','ACKNOWLEDGED'))::int AS open,
              count(*)::int AS requests
       FROM activation_requirement r JOIN mobilization_request q ON q.requirement_id = r.id
       WHERE r.activation_id = $1 GROUP BY r.id ORDER BY r.position`,
      [activationId],
    )
  ).rows as RequirementState[];
}

function requirementChecks(requirements: RequirementState[]): Check[] {
  const problems = (test: (r: RequirementState) => string | null) =>
    requirements.flatMap((r) => {
      const problem = test(r);
      return problem ? [`${r.category}: ${problem}`] : [];
    }).join('; ') || null;
  return [
    {
      name: "each requirement's accepted quantity is the sum of its ACCEPTED requests' (no lost update)",
      problem: problems((r) => (r.accepted_quantity === r.counted ? null : `accepted_quantity ${r.accepted_quantity}, requests sum to ${r.counted}`)),
    },
    {
      name: 'no requirement filled beyond its quantity',
      problem: problems((r) => (r.accepted_quantity <= r.quantity ? null : `${r.accepted_quantity} accepted for ${r.quantity}`)),
    },
    {
      name: 'a requirement is met exactly when its quantity is accepted, and then no request of it is still open',
      problem: problems((r) =>
        r.met !== (r.accepted_quantity === r.quantity)
          ? `met ${r.met} with ${r.accepted_quantity} of ${r.quantity}`
          : r.met && r.open > 0 ? `met with ${r.open} requests still open` : null,
      ),
    },
  ];
}

/**
 * The capacity ledger over every asset, in one statement: none committed beyond its quantity,
 * each holding exactly the units of its ACCEPTED and DEPLOYED requests, and ENGAGED exactly
 * while it holds any (its owner's UNAVAILABLE and RETIRED aside).
 */
async function capacityChecks(db: pg.Client): Promise<Check[]> {
  const [row] = (
    await db.query(
      `SELECT count(*) FILTER (WHERE a.committed_quantity > a.quantity)::int AS over,
              count(*) FILTER (WHERE a.committed_quantity <> coalesce(h.held, 0))::int AS drifted,
              count(*) FILTER (WHERE a.status IN ('AVAILABLE', 'ENGAGED') AND (a.status = 'ENGAGED') <> (a.committed_quantity > 0))::int AS mislabelled
       FROM asset a
       LEFT JOIN (SELECT asset_id, sum(accepted_quantity)::int AS held FROM mobilization_request
                  WHERE status IN ('ACCEPTED', 'DEPLOYED') GROUP BY asset_id) h ON h.asset_id = a.id`,
    )
  ).rows as { over: number; drifted: number; mislabelled: number }[];
  return [
    { name: 'no asset committed beyond its quantity', problem: row.over > 0 ? `${row.over} assets over-committed` : null },
    {
      name: "each asset's committed units are what its ACCEPTED and DEPLOYED requests hold",
      problem: row.drifted > 0 ? `${row.drifted} assets differ from their requests` : null,
    },
    { name: 'an asset is ENGAGED exactly while units of it are committed', problem: row.mislabelled > 0 ? `${row.mislabelled} assets` : null },
  ];
}

/**
 * The escalation chain over every request, in one statement: its level is the number of steps past
 * the first it reached (only those up to its level) and of its MobilizationRequestEscalated events,
 * each step escalated to once; past its last step it has no deadline and its chain is exhausted, and
 * only then.
 */
async function escalationChecks(db: pg.Client): Promise<Check[]> {
  const [row] = (
    await db.query(
      `WITH chain AS (
         SELECT r.id, r.escalation_level, r.ack_deadline, r.chain_exhausted_at, max(s.level) AS last_level,
                count(*) FILTER (WHERE s.level > 0 AND s.reached_at IS NOT NULL)::int AS reached,
                count(*) FILTER (WHERE s.level > r.escalation_level AND s.reached_at IS NOT NULL)::int AS reached_beyond
         FROM mobilization_request r JOIN mobilization_request_step s ON s.request_id = r.id
         GROUP BY r.id
       ), escalations AS (
         SELECT aggregate_id, count(*)::int AS events, count(DISTINCT payload->>'level')::int AS levels
         FROM audit_event WHERE type = 'MobilizationRequestEscalated' GROUP BY aggregate_id
       )
       SELECT count(*) FILTER (WHERE c.reached <> c.escalation_level OR c.reached_beyond > 0)::int AS miscounted,
              count(*) FILTER (WHERE coalesce(e.events, 0) <> c.escalation_level OR coalesce(e.levels, 0) <> c.escalation_level)::int AS twice,
              count(*) FILTER (WHERE c.escalation_level = c.last_level AND (c.ack_deadline IS NOT NULL OR c.chain_exhausted_at IS NULL))::int AS past_last,
              count(*) FILTER (WHERE c.escalation_level < c.last_level AND c.chain_exhausted_at IS NOT NULL)::int AS exhausted_early
       FROM chain c LEFT JOIN escalations e ON e.aggregate_id = c.id::text`,
    )
  ).rows as { miscounted: number; twice: number; past_last: number; exhausted_early: number }[];
  return [
    {
      name: "each request's escalation level is the number of steps it reached past the first",
      problem: row.miscounted > 0 ? `${row.miscounted} requests` : null,
    },
    {
      name: 'each step escalated to once: one MobilizationRequestEscalated per level reached',
      problem: row.twice > 0 ? `${row.twice} requests` : null,
    },
    {
      name: 'a request past its last step has no deadline and its chain exhausted, and only such a request',
      problem: row.past_last + row.exhausted_early > 0 ? `${row.past_last} with a deadline or not exhausted, ${row.exhausted_early} exhausted early` : null,
    },
  ];
}

interface RequestState {
  id: string;
  status: string;
  acknowledged: boolean;
  acknowledged_events: number;
  accepted_events: number;
  stood_down_events: number;
}

/** Each request's final status beside the events the audit log holds for it. */
async function requestStates(db: pg.Client, activationId: string): Promise<Map<string, RequestState>> {
  const rows = (
    await db.query(
      `SELECT q.id, q.status, q.acknowledged_at IS NOT NULL AS acknowledged,
              count(e.sequence) FILTER (WHERE e.type = 'MobilizationRequestAcknowledged')::int AS acknowledged_events,
              count(e.sequence) FILTER (WHERE e.type = 'MobilizationRequestAccepted')::int AS accepted_events,
              count(e.sequence) FILTER (WHERE e.type = 'MobilizationRequestStoodDown')::int AS stood_down_events
       FROM mobilization_request q
       LEFT JOIN audit_event e ON e.aggregate_id = q.id::text AND e.aggregate_type = 'MobilizationRequest'
       WHERE q.activation_id = $1 GROUP BY q.id`,
      [activationId],
    )
  ).rows as RequestState[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** Compares every answer the members received with what the database and the audit log hold. */
function answerChecks(plan: LoadPlan, outcomes: Record<ResponseAction, ActionOutcomes>, states: Map<string, RequestState>): Check[] {
  const mismatches = { lostAccept: [] as string[], lostAck: [] as string[], notStoodDown: [] as string[], phantomAccept: [] as string[] };
  const events = { accepted: [] as string[], stoodDown: [] as string[], acknowledged: [] as string[] };
  const { acknowledge, accept } = outcomes;
  plan.requestIds.forEach((id, i) => {
    const state = states.get(id)!;
    const refused = (outcome: ActionOutcomes) => outcome.status[i] === 409 && outcome.codes.get(i) === STOOD_DOWN;
    if (accept.status[i] === 200 && state.status !== 'ACCEPTED') mismatches.lostAccept.push(`${id} is ${state.status}`);
    if (acknowledge.status[i] === 200 && !(state.acknowledged && ACKNOWLEDGED_OR_LATER.includes(state.status))) {
      mismatches.lostAck.push(`${id} is ${state.status}`);
    }
    if ((refused(acknowledge) || refused(accept)) && state.status !== 'STOOD_DOWN') mismatches.notStoodDown.push(`${id} is ${state.status}`);
    // Accepted without an answer seen: only an accept cut off by a timeout or by the end of the load may have committed.
    if (state.status === 'ACCEPTED' && accept.status[i] !== 200 && !(accept.sent[i] && accept.status[i] === 0)) mismatches.phantomAccept.push(id);

    if (state.accepted_events !== (state.status === 'ACCEPTED' ? 1 : 0)) events.accepted.push(`${id}: ${state.accepted_events} for ${state.status}`);
    if (state.stood_down_events !== (state.status === 'STOOD_DOWN' ? 1 : 0)) events.stoodDown.push(`${id}: ${state.stood_down_events} for ${state.status}`);
    const acknowledgedSeen = acknowledge.status[i] === 200 ? 1 : 0;
    const acknowledgedUnknown = acknowledge.sent[i] && acknowledge.status[i] === 0;
    if (acknowledgedUnknown ? state.acknowledged_events > 1 : state.acknowledged_events !== acknowledgedSeen) {
      events.acknowledged.push(`${id}: ${state.acknowledged_events} for ${acknowledgedSeen} acknowledgement answered 200`);
    }
  });
  const problem = (found: string[], what: string) => (found.length === 0 ? null : `${found.length} ${what}, e.g. ${found[0]}`);
  return [
    { name: 'every accept answered 200 is ACCEPTED', problem: problem(mismatches.lostAccept, 'lost') },
    { name: 'every acknowledgement answered 200 is ACKNOWLEDGED or later', problem: problem(mismatches.lostAck, 'lost') },
    { name: 'every 409 REQUEST.STOOD_DOWN is for a STOOD_DOWN request', problem: problem(mismatches.notStoodDown, 'not stood down') },
    { name: 'no request ACCEPTED without an accept answered 200 (or left unanswered)', problem: problem(mismatches.phantomAccept, 'phantom acceptances') },
    { name: 'exactly one MobilizationRequestAccepted event per ACCEPTED request, none for others', problem: problem(events.accepted, 'requests') },
    { name: 'exactly one MobilizationRequestStoodDown event per STOOD_DOWN request, none for others', problem: problem(events.stoodDown, 'requests') },
    { name: 'one MobilizationRequestAcknowledged event per acknowledgement answered 200', problem: problem(events.acknowledged, 'requests') },
  ];
}

/**
 * The floor of this machine in this hour: `bench:floor` run first, in a process of its own, on the
 * same quiet machine; answers the answers/s of its application-like route (token, rate limit, one
 * write). `--no-floor` skips it.
 */
async function floorOfThisRun(): Promise<number | null> {
  if (process.argv.includes('--no-floor')) return null;
  progress('measuring the floor first (bench:floor, about 25 s)');
  const { stdout } = await promisify(execFile)(process.execPath, [new URL('./floor.js', import.meta.url).pathname], { maxBuffer: 16 * 1024 * 1024 });
  const match = /token, rate limit, one write\s+(\d+)/.exec(stdout);
  if (!match) throw new BenchFailure(`bench:floor printed no figure for its application-like route:\n${stdout.slice(-2000)}`);
  return Number(match[1]);
}

/** The p99 of the answers that came once the fan-out was all NOTIFIED (load time, in ms). */
function p99After(outcomes: Record<ResponseAction, ActionOutcomes>, fromMs: number): { p99: number; answers: number } {
  const latencies: number[] = [];
  for (const action of RESPONSE_ACTIONS) {
    const { status, latencyMs, answeredAtMs } = outcomes[action];
    for (let i = 0; i < status.length; i += 1) if (status[i] !== 0 && answeredAtMs[i] >= fromMs) latencies.push(latencyMs[i]);
  }
  latencies.sort((a, b) => a - b);
  return { p99: percentile(latencies, 99), answers: latencies.length };
}

async function main(): Promise<void> {
  const connections = connectionsArgument(process.argv.slice(2));
  const floor = await floorOfThisRun();
  const respondingSets: ResponderSet[] = RESPONDING_CATEGORIES.map((category, i) => ({
    segment: `poll-${category.toLowerCase()}`,
    category,
    members: MEMBERS_PER_CATEGORY,
    assets: MEMBERS_PER_CATEGORY * ASSETS_PER_MEMBER,
    sirenOffset: i * MEMBERS_PER_CATEGORY,
  }));
  const respondingAssets = respondingSets.reduce((sum, set) => sum + set.assets, 0);
  // Each connection answers whole requests (acknowledge, accept) out of an equal share.
  if (respondingAssets % connections !== 0) {
    throw new BenchFailure(`--connections must divide the ${respondingAssets} requests answered, ${connections} does not`);
  }
  const queuePrefix = `renfort-bench-${randomBytes(4).toString('hex')}`;
  // Other work on the machine moves the figures: the load before the run says how quiet it was.
  const loadBefore = os.loadavg()[0];

  await recreateDatabase(DATABASE);
  const sink = await WebhookSink.start((segment, n) => webhookSecret(segment, n));
  const environment = {
    // At 'warn' the application logs every 4xx, and the stood-down 409s are expected by the thousand.
    LOG_LEVEL: 'error',
    LOGIN_THROTTLE_LIMIT: '10000',
    // Each member's user sends about a hundred commands: no limit of the service's must refuse one.
    COMMAND_THROTTLE_LIMIT: '1000000',
  };
  // As deployed: the API in one process (this one), the queue workers and the relay in another.
  const config = benchConfig(DATABASE, queuePrefix, { ...environment, RUN_WORKERS: 'false' });
  progress(`starting the application on ${DATABASE}, queue prefix ${queuePrefix}, and a worker process`);
  const app = await createApp(config);
  const workers = await startWorkerProcess(benchEnvironment(DATABASE, queuePrefix, { ...environment, RUN_MIGRATIONS: 'false' }));
  const db = new pg.Client({ connectionString: config.databaseUrl, application_name: 'renfort-bench' });
  await db.connect();
  const domainEvents = new Queue(DOMAIN_EVENTS_QUEUE, { connection: { url: REDIS_URL }, prefix: queuePrefix });
  try {
    const seedStarted = performance.now();
    const respondingMembers: string[] = [];
    for (const set of respondingSets) respondingMembers.push(...(await seedResponders(db, sink.url, set)));
    // They poll GET /mobilizations: their requests are NOTIFIED as soon as the delivery job runs.
    await db.query(`UPDATE member SET webhook_url = NULL, webhook_secret = NULL WHERE id = ANY($1::uuid[])`, [respondingMembers]);
    await seedResponders(db, sink.url, FAN_OUT);
    await db.query(`ANALYZE member, asset, convention, convention_asset`);
    const seedMs = performance.now() - seedStarted;

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    const adminToken = await signIn(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    const operator = await signedInUser(baseUrl, adminToken, 'CRISIS_OPERATOR');
    const minister = await signedInUser(baseUrl, adminToken, 'MINISTER');
    progress(`seeded in ${(seedMs / 1000).toFixed(1)} s; creating ${respondingMembers.length} member users`);
    const tokens = await memberTokens(baseUrl, adminToken, respondingMembers);

    const crisis = await post<{ id: string }>(
      baseUrl,
      '/api/v1/crises',
      { title: 'Crues dans les Alpes-Maritimes (benchmark des réponses)', type: CRISIS_TYPE, departements: [RESPONDER_DEPARTEMENT], severity: 3 },
      operator,
    );
    const requirements = respondingSets.map((set, i) => ({ category: set.category, quantity: Math.round(set.assets * REQUIREMENT_SHARES[i]) }));
    const responding = await post<{ id: string }>(
      baseUrl,
      `/api/v1/crises/${crisis.id}/activations`,
      { decisionReference: 'Décision ministérielle bench réponses', requirements },
      operator,
    );
    const fanOut = await post<{ id: string }>(
      baseUrl,
      `/api/v1/crises/${crisis.id}/activations`,
      { decisionReference: 'Décision ministérielle bench fan-out', requirements: [{ category: FAN_OUT.category, quantity: FAN_OUT.assets }] },
      operator,
    );

    progress(`authorizing ${respondingAssets} requests and waiting until they are NOTIFIED`);
    const { requestCount } = await post<{ requestCount: number }>(baseUrl, `/api/v1/activations/${responding.id}/authorize`, {}, minister);
    if (requestCount !== respondingAssets) throw new BenchFailure(`the authorization asked ${requestCount} assets, not ${respondingAssets}`);
    await until('every request NOTIFIED', async () => (await countWithStatus(db, responding.id, 'NOTIFIED')) >= respondingAssets);
    await until('every event relayed before the load', () => relayCaughtUp(db, domainEvents));

    // The members answer in no particular order, so that every requirement is answered at once.
    const requests = (
      await db.query(`SELECT id, member_id FROM mobilization_request WHERE activation_id = $1 ORDER BY random()`, [responding.id])
    ).rows as { id: string; member_id: string }[];
    const tokenIndex = new Map(respondingMembers.map((memberId, index) => [memberId, index]));
    const plan: LoadPlan = {
      baseUrl,
      connections,
      maxSeconds: MAX_LOAD_SECONDS,
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      tokens,
      requestIds: requests.map((row) => row.id),
      tokenOf: requests.map((row) => tokenIndex.get(row.member_id)!),
    };

    progress(`load: ${connections} connections answer ${requests.length} requests; the fan-out of ${FAN_OUT.assets} is authorized after ${FAN_OUT_AFTER_MS / 1000} s`);
    let loadStarted: () => void = () => {};
    let cpuAtStart: CpuSnapshot | undefined;
    let cpuAtEnd: CpuSnapshot | undefined;
    const started = new Promise<number>((resolve) => (loadStarted = () => resolve(performance.now())));
    const [load, fanOutFigures] = await Promise.all([
      runLoad(plan, () => {
        cpuAtStart = cpuSnapshot();
        loadStarted();
      }).then((result) => {
        cpuAtEnd = cpuSnapshot();
        return result;
      }),
      started.then(async (origin) => {
        await sleep(FAN_OUT_AFTER_MS);
        return runFanOut({ baseUrl, minister, db, sink }, fanOut.id, origin);
      }),
    ]);
    progress('load done; waiting for the relay, then checking the database');
    await until('every event relayed after the load', () => relayCaughtUp(db, domainEvents));

    const tallies = {
      acknowledge: tallyOf([load.outcomes.acknowledge]),
      accept: tallyOf([load.outcomes.accept]),
      all: tallyOf(RESPONSE_ACTIONS.map((action) => load.outcomes[action])),
    };
    const requirementRows = await requirementStates(db, responding.id);
    const [{ status: activationStatus }] = (await db.query(`SELECT status FROM activation WHERE id = $1`, [responding.id])).rows as { status: string }[];
    const verify = await request(`${baseUrl}/api/v1/audit/verify`, { token: adminToken });
    const verified = JSON.parse(verify.text) as { valid?: boolean; checked?: number; reason?: string };
    const fanOutTally = sink.tally(FAN_OUT.segment);
    const allMet = requirementRows.every((r) => r.met);
    const unexpected = [...tallies.all.unexpected.entries()].map(([key, count]) => `${count} x ${key}`).join(', ');
    const checks: Check[] = [
      { name: 'no 5xx, no answer other than 200 and 409 REQUEST.STOOD_DOWN', problem: unexpected || null },
      ...requirementChecks(requirementRows),
      ...answerChecks(plan, load.outcomes, await requestStates(db, responding.id)),
      ...(await capacityChecks(db)),
      ...(await escalationChecks(db)),
      {
        name: 'the activation is FULFILLED exactly when every requirement is met',
        problem: (activationStatus === 'FULFILLED') === allMet ? null : `${activationStatus} with ${allMet ? 'every' : 'not every'} requirement met`,
      },
      {
        name: `the fan-out's ${FAN_OUT.assets} requests all NOTIFIED, each delivered under one delivery id`,
        problem:
          fanOutFigures.requestCount !== FAN_OUT.assets || fanOutTally.deliveryOf.size !== FAN_OUT.assets || fanOutTally.conflicts.length > 0
            ? `${fanOutFigures.requestCount} asked, ${fanOutTally.deliveryOf.size} delivered, ${fanOutTally.conflicts.length} under two ids`
            : fanOutTally.badSignatures.length > 0 ? `${fanOutTally.badSignatures.length} bad signatures` : null,
      },
      {
        name: 'GET /audit/verify: the hash chain is valid',
        problem: verify.status === 200 && verified.valid === true ? null : `${verify.status} ${verify.text}`,
      },
    ];

    const seconds = load.elapsedMs / 1000;
    const notifiedSecond = Math.round(fanOutFigures.notifiedAt / 1000);
    const phases =
      fanOutFigures.cpuAtNotified.at < cpuAtEnd!.at
        ? [
            { name: 'while the fan-out is delivered', from: cpuAtStart!, to: fanOutFigures.cpuAtNotified, fromSecond: 0, toSecond: notifiedSecond },
            { name: 'after', from: fanOutFigures.cpuAtNotified, to: cpuAtEnd!, fromSecond: notifiedSecond, toSecond: load.perSecond.length },
          ]
        : [{ name: 'the whole load (the fan-out outlasted it)', from: cpuAtStart!, to: cpuAtEnd!, fromSecond: 0, toSecond: load.perSecond.length }];
    const answered = tallies.all.latencies.length;
    const errors = unexpectedCount(tallies.all) + load.errors;
    const p99 = percentile(tallies.all.latencies, 99);
    const rate = answered / seconds;
    const after = p99After(load.outcomes, fanOutFigures.notifiedAt);
    const verdict = (met: boolean) => (met ? 'met' : 'not met');
    const at = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      [
        '',
        `Responses benchmark, ${new Date().toISOString()}`,
        `${await machine(db)}, load average ${loadBefore.toFixed(2)} (1 min) before the run`,
        `data: ${respondingAssets} requests of one activation to ${respondingMembers.length} polling members (${ASSETS_PER_MEMBER} assets each,`,
        `  ${MEMBERS_PER_CATEGORY} members per category) and a fan-out of ${FAN_OUT.assets} ${FAN_OUT.category} assets to ${FAN_OUT.members} members with webhooks`,
        `  on a local sink; seeded in ${(seedMs / 1000).toFixed(1)} s. Requirements ask ${requirements.map((r) => `${r.quantity} ${r.category}`).join(', ')}.`,
        `load: autocannon in a worker thread, ${connections} keep-alive connections on the loopback; each takes the next request of a`,
        `  shuffled list, acknowledges it, then accepts it (also after a stood-down acknowledgement); at most ${MAX_LOAD_SECONDS} s,`,
        `  ${REQUEST_TIMEOUT_SECONDS} s timeout per request. Latency is from sending a request to its full answer.`,
        '',
        table([
          ['answers', 'sent', '200', '409 stood down', 'other', 'no answer', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
          tallyRow('acknowledge', tallies.acknowledge),
          tallyRow('accept', tallies.accept),
          tallyRow('all', tallies.all),
          ...outcomeRows(tallies.all),
        ]),
        '',
        `${answered} answers in ${seconds.toFixed(2)} s: ${(answered / seconds).toFixed(0)} responses/s, of which ${(tallies.all.ok / seconds).toFixed(0)}/s answered 200` +
          `${load.stoppedByTime ? ` (stopped after ${MAX_LOAD_SECONDS} s)` : ''}; errors ${errors} (connection errors ${load.errors}, timeouts ${load.timeouts})`,
        `answers per second of the load: ${load.perSecond.join(' ')}`,
        `fan-out during the load: authorized at ${at(fanOutFigures.authorizedAt)}, ${fanOutFigures.requestCount} requests committed at ${at(fanOutFigures.committedAt)},` +
          ` all delivered at ${at(fanOutFigures.deliveredAt)}, all NOTIFIED at ${at(fanOutFigures.notifiedAt)} (${fanOutTally.posts} webhook POSTs)`,
        `p99 of the ${after.answers} answers that came after the fan-out was all NOTIFIED: ${after.p99.toFixed(1)} ms (overall ${p99.toFixed(1)} ms)`,
        floor === null
          ? 'targets: at least half the floor (not measured: --no-floor), p99 under 100 ms after the fan-out, zero errors'
          : `targets: at least half the floor measured first in this run (${floor} answers/s, half ${Math.round(floor / 2)}): ${rate.toFixed(0)} responses/s,` +
            ` ${verdict(rate >= floor / 2)} (${((100 * rate) / floor).toFixed(0)} % of the floor)`,
        `  p99 under 100 ms after the fan-out: ${verdict(after.p99 < 100)}; zero errors: ${verdict(errors === 0)}`,
        '',
        `processor time during the load (${os.cpus().length} cores: ${os.cpus().length * 1000} ms/s in all; the API process includes the load generator's thread):`,
        table(cpuRows(phases, load.perSecond, workers.pid)),
        '',
        table([
          ['requirement', 'quantity', 'accepted', 'ACCEPTED requests', 'STOOD_DOWN', 'still open', 'met'],
          ...requirementRows.map((r) => [r.category, String(r.quantity), String(r.accepted_quantity), String(r.accepted), String(r.stood_down), String(r.open), r.met ? 'yes' : 'no']),
        ]),
        `activation ${activationStatus}; audit chain ${verified.valid ? 'valid' : 'INVALID'} over ${verified.checked ?? '?'} events`,
        '',
        'checks:',
        ...checks.map((check) => (check.problem ? `  FAILED  ${check.name}: ${check.problem}` : `  ok      ${check.name}`)),
        '',
      ].join('\n'),
    );
    const failed = checks.filter((check) => check.problem);
    if (failed.length > 0) throw new BenchFailure(`bench:responses: ${failed.length} checks failed: ${failed.map((check) => check.name).join('; ')}`);
  } finally {
    await workers.stop();
    await domainEvents.close();
    await db.end();
    await app.close();
    await sink.close();
    await deleteRedisKeys(queuePrefix);
  }
}

runBench(main);
