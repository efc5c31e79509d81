import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import type { ChainVerification } from '../src/audit/dto/audit.dto.js';
import { type ActivationReport, type Conformance, REPORT_CSV_COLUMNS } from '../src/reporting/queries/activation-report.js';
import type { Timeline } from '../src/reporting/queries/activation-timeline.js';
import { seedActivation, type SeededActivation } from './seed-activation.js';
import { activationThread, appendChained, byTime, registryActivity } from './seed-audit-log.js';
import { seedRegistry, type SeedSize } from './seed-registry.js';
import {
  BENCH_ADMIN, BenchFailure, deleteRedisKeys, machine, percentile, progressOf, recreateDatabase, request, runBench, signedInUser, signIn, table, benchConfig,
} from './support.js';

/*
 * After-action benchmark: the report (JSON and CSV) and the timeline of one activation of
 * 100,000 mobilization requests, and the verification of an audit log of 1,000,000 events,
 * through the real application (HTTP, guard, CQRS, PostgreSQL) as an AUDITOR. It prints
 * figures and asserts none; it fails only when an answer is wrong: a report whose counts are
 * not the seeded ones, a timeline that misses events, a chain found invalid.
 * Run with `npm run bench:report`.
 */

const DATABASE = 'renfort_bench_report';
const SIZE: SeedSize = { members: 2_000, assets: 100_000, unavailabilityWindows: 0 };
/** Rows of audit_event once seeded, the application's own first events included. */
const EVENTS = 1_000_000;
const EVENT_BATCH = 20_000;
/** The activation was authorized this long ago: long enough for every seeded answer to lie in the past. */
const AUTHORIZED_AGO_MS = 3 * 86_400_000;
const HISTORY_MS = 120 * 86_400_000;
/** Share of the registry's activity recorded before the crisis; the rest interleaves with the activation's thread. */
const BEFORE_CRISIS = 0.75;
const WARM_UP = 1;
const MEASURED = 5;
const VERIFY_RUNS = 2;
const TIMELINE_PAGE_SIZE = 200;
const RUN_LIMIT_MS = 15 * 60_000;

const progress = progressOf('bench:report');

/** What the seed wrote, counted straight from the tables, for the answers to be checked against. */
interface Seeded {
  requests: number;
  members: number;
  byStatus: Record<string, number>;
  accepted: number;
  declined: number;
  escalated: number;
  acknowledged: number;
  deployed: number;
}

async function countSeeded(db: pg.Client, activationId: string): Promise<Seeded> {
  const [totals] = (
    await db.query(
      `SELECT count(*)::int AS requests, count(DISTINCT member_id)::int AS members,
              count(*) FILTER (WHERE accepted_at IS NOT NULL)::int AS accepted, count(*) FILTER (WHERE declined_at IS NOT NULL)::int AS declined,
              count(*) FILTER (WHERE escalation_level > 0)::int AS escalated,
              count(*) FILTER (WHERE notified_at IS NOT NULL AND acknowledged_at IS NOT NULL)::int AS acknowledged,
              count(*) FILTER (WHERE deployed_at IS NOT NULL)::int AS deployed
       FROM mobilization_request WHERE activation_id = $1`,
      [activationId],
    )
  ).rows as Omit<Seeded, 'byStatus'>[];
  const statuses = (await db.query(`SELECT status, count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 GROUP BY status`, [activationId]))
    .rows as { status: string; count: number }[];
  return { ...totals, byStatus: Object.fromEntries(statuses.map((row) => [row.status, row.count])) };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Every way the report may disagree with the seed; empty when it agrees. */
function reportProblems(report: ActivationReport, seeded: Seeded, activation: SeededActivation): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${what}: ${JSON.stringify(actual)}, seeded ${JSON.stringify(expected)}`);
  };
  const c = report.conformance;
  expect('requestCount', report.requestCount, seeded.requests);
  expect('countsByStatus', Object.fromEntries(Object.entries(report.countsByStatus).sort()), Object.fromEntries(Object.entries(seeded.byStatus).sort()));
  expect('conformance.requests', c.requests, seeded.requests);
  expect('conformance.accepted', c.accepted, seeded.accepted);
  expect('conformance.declined', c.declined, seeded.declined);
  expect('conformance.escalated', c.escalated, seeded.escalated);
  expect('acknowledged on time or late', c.ackOnTime + c.ackLate, seeded.acknowledged);
  expect('deployed on time or late', c.deployOnTime + c.deployLate, seeded.deployed);
  expect('deployments missed', c.deployMissed, seeded.accepted - seeded.deployed);
  const buckets: (keyof Conformance)[] = ['ackOnTime', 'ackLate', 'ackMissed', 'deployOnTime', 'deployLate', 'deployMissed'];
  for (const bucket of buckets) if (c[bucket] <= 0) problems.push(`conformance.${bucket} is empty`);
  expect('members', report.byMember.length, seeded.members);
  expect('requests by member', sum(report.byMember.map((row) => row.requests)), seeded.requests);
  expect('requests by directorate', sum(report.byDirectorate.map((row) => row.requests)), seeded.requests);
  expect('decline reasons', sum(report.declineReasons.map((row) => row.count)), seeded.declined);
  expect(
    'requirements',
    report.requirements.map((r) => [r.category, r.quantity, r.acceptedQuantity, r.metAt]),
    activation.requirements.map((r) => [r.category, r.quantity, r.acceptedQuantity, r.metAt?.toISOString() ?? null]),
  );
  return problems;
}

function csvProblems(csv: string, seeded: Seeded): string[] {
  const lines = csv.split('\r\n');
  if (lines.pop() !== '') return ['the CSV does not end with CRLF'];
  const problems: string[] = [];
  if (lines[0] !== REPORT_CSV_COLUMNS.join(',')) problems.push(`CSV header: ${lines[0]}`);
  if (lines.length - 1 !== seeded.members) problems.push(`CSV rows: ${lines.length - 1}, seeded members ${seeded.members}`);
  // Counted from the end of each row: a member's name may be quoted and hold commas.
  const requestsFromEnd = REPORT_CSV_COLUMNS.length - REPORT_CSV_COLUMNS.indexOf('requests');
  const requests = sum(lines.slice(1).map((line) => Number(line.split(',').at(-requestsFromEnd))));
  if (requests !== seeded.requests) problems.push(`CSV requests: ${requests}, seeded ${seeded.requests}`);
  return problems;
}

function timelineProblems(timeline: Timeline, page: number, threadEvents: number): string[] {
  const problems: string[] = [];
  if (timeline.total !== threadEvents) problems.push(`timeline total ${timeline.total}, seeded ${threadEvents} events in the thread`);
  if (timeline.items.length !== TIMELINE_PAGE_SIZE) problems.push(`timeline page ${page}: ${timeline.items.length} items`);
  if (page === 1 && timeline.items[0]?.type !== 'CrisisOpened') problems.push(`timeline starts with ${timeline.items[0]?.type}, not CrisisOpened`);
  if (timeline.items.some((item, i) => i > 0 && item.sequence <= timeline.items[i - 1].sequence)) problems.push(`timeline page ${page} is not in sequence order`);
  return problems;
}

interface Measure {
  name: string;
  answer: string;
  latencies: number[];
}

/** WARM_UP then MEASURED sequential GETs; the first answer is checked, every answer must be a 200. */
async function measure(baseUrl: string, token: string, name: string, path: string, check: (text: string) => string[]): Promise<Measure> {
  progress(name);
  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARM_UP + MEASURED; i += 1) {
    const { status, text, latencyMs } = await request(`${baseUrl}${path}`, { token });
    if (status !== 200) throw new BenchFailure(`${name}: GET ${path} answered ${status}: ${text.slice(0, 500)}`);
    if (i === 0) {
      const problems = check(text);
      if (problems.length > 0) throw new BenchFailure(`${name}: GET ${path}:\n  ${problems.join('\n  ')}`);
      bytes = Buffer.byteLength(text);
    }
    if (i >= WARM_UP) latencies.push(latencyMs);
  }
  return { name, answer: bytes < 10_240 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KiB`, latencies };
}


const count = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const buckets = (onTime: number, late: number, missed: number) => `${count(onTime)} on time, ${count(late)} late, ${count(missed)} missed`;

async function timedStep<T>(what: string, step: () => Promise<T>): Promise<{ result: T; ms: number }> {
  progress(what);
  const started = performance.now();
  const result = await step();
  return { result, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:report: still running after ${RUN_LIMIT_MS / 60_000} min, giving up\n`);
    process.exit(1);
  }, RUN_LIMIT_MS);
  watchdog.unref();

  const queuePrefix = `renfort-bench-report-${randomBytes(4).toString('hex')}`;
  await recreateDatabase(DATABASE);
  const config = benchConfig(DATABASE, queuePrefix);
  progress(`starting the application on ${DATABASE}, queue prefix ${queuePrefix}`);
  const app = await createApp(config);
  const db = new pg.Client({ connectionString: config.databaseUrl, application_name: 'renfort-bench-report' });
  await db.connect();
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;

    // Every change through the application comes before the seed: the seed continues the audit
    // chain from its head, and nothing may append behind its back.
    const adminToken = await signIn(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    await signedInUser(baseUrl, adminToken, 'CRISIS_OPERATOR');
    await signedInUser(baseUrl, adminToken, 'MINISTER');
    const auditor = await signedInUser(baseUrl, adminToken, 'AUDITOR');
    const users = (await db.query(`SELECT id, role FROM users WHERE role IN ('CRISIS_OPERATOR', 'MINISTER')`)).rows as { id: string; role: string }[];
    const userOf = (role: string) => users.find((user) => user.role === role)!.id;

    const registry = await timedStep(`seeding ${count(SIZE.assets)} assets`, () => seedRegistry(db, SIZE));
    const authorizedAt = new Date(Math.floor((Date.now() - AUTHORIZED_AGO_MS) / 1000) * 1000);
    const { result: seeded, ms: activationMs } = await timedStep('seeding the activation and its requests', () =>
      seedActivation(db, { operatorId: userOf('CRISIS_OPERATOR'), ministerId: userOf('MINISTER'), authorizedAt }),
    );
    const { activation, crisis } = seeded;

    const { result: audit, ms: auditMs } = await timedStep(`seeding ${count(EVENTS)} audit events`, async () => {
      const thread = await activationThread(db, seeded);
      const activity = await registryActivity(db);
      // The events of the users created above, still waiting to be sealed, go into the chain first.
      await db.query(`SELECT audit_seal_pending(NULL)`);
      const [{ head }] = (await db.query(`SELECT coalesce(max(sequence), 0)::int AS head FROM audit_event`)).rows as { head: number }[];
      const registryEvents = EVENTS - head - thread.count;
      if (registryEvents < 0) throw new BenchFailure(`the activation's thread alone holds ${thread.count} events, more than ${EVENTS}`);
      const before = Math.round(registryEvents * BEFORE_CRISIS);
      const [{ threadEnd }] = (
        await db.query(`SELECT max(updated_at) AS "threadEnd" FROM mobilization_request WHERE activation_id = $1`, [activation.id])
      ).rows as { threadEnd: Date }[];
      function* history() {
        yield* activity(before, new Date(crisis.openedAt.getTime() - HISTORY_MS), crisis.openedAt);
        yield* byTime(thread.events(), activity(registryEvents - before, crisis.openedAt, threadEnd));
      }
      return { threadEvents: thread.count, ...(await appendChained(db, history(), EVENT_BATCH)) };
    });
    if (audit.head !== EVENTS) throw new BenchFailure(`the log holds ${audit.head} events after the seed, not ${EVENTS}`);
    const { ms: analyzeMs } = await timedStep('ANALYZE', () => db.query('ANALYZE'));
    const expected = await countSeeded(db, activation.id);

    const id = activation.id;
    const measures: Measure[] = [];
    const answers: { report?: ActivationReport } = {};
    measures.push(
      await measure(baseUrl, auditor, 'report, JSON', `/api/v1/activations/${id}/report`, (text) => {
        answers.report = JSON.parse(text) as ActivationReport;
        return reportProblems(answers.report, expected, seeded);
      }),
    );
    measures.push(await measure(baseUrl, auditor, 'report, CSV', `/api/v1/activations/${id}/report?format=csv`, (text) => csvProblems(text, expected)));
    const deepPage = Math.floor(audit.threadEvents / TIMELINE_PAGE_SIZE);
    for (const page of [1, deepPage]) {
      const name = `timeline, page ${count(page)}${page === deepPage ? ' (last full)' : ''}`;
      const path = `/api/v1/activations/${id}/timeline?pageSize=${TIMELINE_PAGE_SIZE}&page=${page}`;
      measures.push(await measure(baseUrl, auditor, name, path, (text) => timelineProblems(JSON.parse(text) as Timeline, page, audit.threadEvents)));
    }
    measures.push(
      await measure(baseUrl, auditor, 'audit head', '/api/v1/audit/head', (text) => {
        const head = JSON.parse(text) as { sequence: number };
        return head.sequence === EVENTS ? [] : [`head at ${head.sequence}, not ${EVENTS}`];
      }),
    );

    const verifications: string[][] = [['audit verification', 'checked', 'ms', 'events/s']];
    for (let run = 1; run <= VERIFY_RUNS; run += 1) {
      progress(`audit verification, run ${run}`);
      const { status, text, latencyMs } = await request(`${baseUrl}/api/v1/audit/verify`, { token: auditor });
      if (status !== 200) throw new BenchFailure(`GET /api/v1/audit/verify answered ${status}: ${text.slice(0, 500)}`);
      const verification = JSON.parse(text) as ChainVerification;
      if (!verification.valid || verification.checked !== EVENTS) {
        throw new BenchFailure(`GET /api/v1/audit/verify: ${text}, expected valid with ${EVENTS} events checked`);
      }
      verifications.push([`run ${run}`, count(verification.checked), latencyMs.toFixed(0), count(Math.round(verification.checked / (latencyMs / 1000)))]);
    }

    const rows = [['request', 'answer', 'min ms', 'median ms', 'max ms']];
    for (const { name, answer, latencies } of measures) {
      const sorted = [...latencies].sort((a, b) => a - b);
      rows.push([name, answer, sorted[0].toFixed(1), percentile(sorted, 50).toFixed(1), sorted[sorted.length - 1].toFixed(1)]);
    }
    const { conformance } = answers.report!;
    const met = seeded.requirements.filter((requirement) => requirement.metAt).length;
    console.log(
      [
        '',
        `Activation report and audit verification benchmark, ${new Date().toISOString()}`,
        await machine(db),
        `data: ${count(SIZE.members)} members, ${count(SIZE.assets)} assets; one activation of ${count(expected.requests)} mobilization requests ` +
          `to ${count(expected.members)} members (${seeded.requirements.length} requirements, ${met} met); ` +
          `${count(EVENTS)} audit events, ${count(audit.threadEvents)} of them in the activation's timeline`,
        `requests by status: ${Object.entries(expected.byStatus).sort().map(([status, n]) => `${status} ${count(n)}`).join(', ')}`,
        `report: acknowledgements ${buckets(conformance.ackOnTime, conformance.ackLate, conformance.ackMissed)}, ` +
          `deployments ${buckets(conformance.deployOnTime, conformance.deployLate, conformance.deployMissed)}`,
        `seeded in ${seconds(registry.ms + activationMs + auditMs + analyzeMs)}: registry ${seconds(registry.ms)}, activation ${seconds(activationMs)}, ` +
          `audit events ${seconds(auditMs)} (${count(Math.round(audit.appended / (auditMs / 1000)))} events/s, hashes included), ANALYZE ${seconds(analyzeMs)}`,
        `each request: ${WARM_UP} warm-up then ${MEASURED} sequential requests over HTTP, as an AUDITOR; ` +
          `timeline pages of ${TIMELINE_PAGE_SIZE} events; verification: ${VERIFY_RUNS} runs`,
        '',
        table(rows),
        '',
        table(verifications),
        '',
      ].join('\n'),
    );
  } finally {
    await db.end();
    await app.close();
    await deleteRedisKeys(queuePrefix);
  }
}

runBench(main);
