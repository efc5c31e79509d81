import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { createApp } from '../src/app.factory.js';
import { DOMAIN_EVENTS_QUEUE } from '../src/audit/relay/queues.js';
import { jobIds, NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE, webhookVersion } from '../src/crisis/notifications/queues.js';
import { WebhookClient } from '../src/crisis/notifications/webhook-client.js';
import { AlertSinks } from './alert-sinks.js';
import { NAIVE_QUEUE, NaiveBaseline } from './naive-baseline.js';
import { RESPONDER_DEPARTEMENT, type ResponderSet, seedResponders, webhookSecret } from './seed-responders.js';
import {
  BENCH_ADMIN, BENCH_DATABASE, BenchFailure, benchConfig, benchEnvironment, busyOf, cpuSnapshot, type CpuSnapshot, cpuUse, deleteRedisKeys, machine, post,
  progressOf, recreateDatabase, REDIS_URL, runBench, signedInUser, signIn, startWorkerProcess, table, type WorkerProcess,
} from './support.js';
import { type SinkTally, WebhookSink } from './webhook-sink.js';

/*
 * Fan-out benchmark: a ministerial authorization that asks N assets at once, through the real
 * application (HTTP, guard, CQRS, one transaction holding the N requests and the
 * hash-chained event that seals them, the outbox relay, BullMQ, the notification workers, signed webhooks)
 * to a local webhook sink; then a naive baseline of the same volume in the same run. It
 * prints figures and asserts none; it fails only when something is functionally wrong: a
 * request not delivered within five minutes, delivered under two delivery ids, a bad
 * signature, a missing or failed job. Run with `npm run bench:fanout -- --assets 10000`.
 */

const DEFAULT_ASSETS = 10_000;
/**
 * The naive baseline runs at most this many requests by default (about two minutes here) and
 * its figures are scaled linearly to the set-based volume, as its costs are all per row;
 * `--naive-assets N` sets another size.
 */
const DEFAULT_NAIVE_LIMIT = 20_000;
const ASSETS_PER_MEMBER = 20;
/** The largest quantity a requirement may ask (PrepareActivationRequest); the fan-out asks every eligible asset anyway. */
const MAX_REQUIREMENT_QUANTITY = 100_000;
const CRISIS_TYPE = 'NATURAL_DISASTER';
const WAIT_LIMIT_MS = 5 * 60_000;
const POLL_MS = 10;
const DB_POLL_MS = 25;
/** Names the scheduler NotificationSweepScheduler registers. */
const SWEEP_SCHEDULER_ID = 'notification-sweep';

const progress = progressOf('bench:fanout');

/** Milliseconds from the start of a run until each stage was complete. */
interface Timeline {
  committed: number;
  enqueued: number;
  delivered: number;
  notified: number;
}

/** `--name N` or `--name=N`, a positive whole number. */
function countArgument(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(value)) throw new BenchFailure(`--${name} takes a positive whole number, not ${value}`);
  return Number(value);
}

/** Polls until the check holds; answers the `performance.now()` at which it did. */
async function until(what: string, check: () => Promise<boolean>, intervalMs = POLL_MS): Promise<number> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new BenchFailure(`${what}: still not the case after ${WAIT_LIMIT_MS / 1000} s`);
    await sleep(intervalMs);
  }
}

async function within<T>(what: string, promise: Promise<T>): Promise<T> {
  const timeout = sleep(WAIT_LIMIT_MS, undefined, { ref: false }).then(() => {
    throw new BenchFailure(`${what}: still not the case after ${WAIT_LIMIT_MS / 1000} s`);
  });
  return Promise.race([promise, timeout]);
}

async function countNotified(db: pg.Client, activationId: string): Promise<number> {
  const [{ count }] = (
    await db.query(`SELECT count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activationId])
  ).rows as { count: number }[];
  return count;
}

/** What the sink received must be exactly the activation's requests, each under one delivery id, correctly signed. */
async function checkDeliveries(db: pg.Client, label: string, tally: SinkTally, activationId: string): Promise<void> {
  const ids = new Set(
    (await db.query(`SELECT id FROM mobilization_request WHERE activation_id = $1`, [activationId])).rows.map((row: { id: string }) => row.id),
  );
  const stray = [...tally.deliveryOf.keys()].filter((id) => !ids.has(id));
  if (tally.deliveryOf.size !== ids.size || stray.length > 0) {
    throw new BenchFailure(`${label}: the sink received ${tally.deliveryOf.size} distinct requests for ${ids.size} created, ${stray.length} unknown`);
  }
  if (tally.conflicts.length > 0) {
    throw new BenchFailure(`${label}: ${tally.conflicts.length} requests delivered under two delivery ids, e.g. ${tally.conflicts[0]}`);
  }
  if (tally.badSignatures.length > 0) {
    throw new BenchFailure(`${label}: ${tally.badSignatures.length} of ${tally.signaturesChecked} sampled signatures do not verify, e.g. ${tally.badSignatures[0]}`);
  }
}

interface Actors {
  baseUrl: string;
  operator: string;
  minister: string;
}

async function preparedActivation(actors: Actors, crisisId: string, category: string, quantity: number): Promise<string> {
  const activation = await post<{ id: string }>(
    actors.baseUrl,
    `/api/v1/crises/${crisisId}/activations`,
    { decisionReference: `Décision ministérielle bench ${category}`, requirements: [{ category, quantity: Math.min(quantity, MAX_REQUIREMENT_QUANTITY) }] },
    actors.operator,
  );
  return activation.id;
}

interface SetBasedResult {
  /** The processor time of every process at the authorization, and once every request reached the sink. */
  cpu: { start: CpuSnapshot; delivered: CpuSnapshot };
  /** Until every first-step person's alert was accepted by the mail server and the SMS centre. */
  alerted: { emails: number; sms: number; people: number; firstEmail: number; firstSms: number };
  timeline: Timeline;
  requestCount: number;
  firstDelivery: number;
  settled: number;
}

/**
 * Authorizes over HTTP and watches, from that instant and all at once, the jobs appear in
 * BullMQ, the sink fill up and the rows turn NOTIFIED.
 */
async function runSetBased(
  context: { actors: Actors; db: pg.Client; sink: WebhookSink; notifications: Queue; domainEvents: Queue; alertSinks: AlertSinks },
  activationId: string,
  set: ResponderSet,
  memberIds: string[],
): Promise<SetBasedResult> {
  const { actors, db, sink, notifications, domainEvents, alertSinks } = context;
  const cpuAtStart = cpuSnapshot();
  const started = performance.now();
  let cpuAtDelivered: CpuSnapshot | undefined;
  const [authorized, enqueued, delivered, notified, emailed, texted] = await Promise.all([
    post<{ requestCount: number }>(actors.baseUrl, `/api/v1/activations/${activationId}/authorize`, {}, actors.minister).then((answer) => {
      if (answer.requestCount !== set.assets) throw new BenchFailure(`set-based: the authorization asked ${answer.requestCount} assets, not ${set.assets}`);
      return { requestCount: answer.requestCount, at: performance.now() };
    }),
    until('set-based: every notification job enqueued', async () => {
      const counts = await notifications.getJobCounts();
      return Object.values(counts).reduce((sum, count) => sum + count, 0) >= memberIds.length;
    }),
    within('set-based: every request received by the sink', sink.whenReceived(set.segment, set.assets)).then((at) => {
      cpuAtDelivered = cpuSnapshot();
      return at;
    }),
    // Counted once the sink has them all (a request is recorded NOTIFIED after its webhook was
    // received): counting 100,000 rows every 25 ms meanwhile would cost PostgreSQL more than the fan-out.
    within('set-based: every request received by the sink', sink.whenReceived(set.segment, set.assets)).then(() =>
      until('set-based: every request NOTIFIED', async () => (await countNotified(db, activationId)) >= set.assets, DB_POLL_MS),
    ),
    until('set-based: every first-step person\'s email accepted by the mail server', async () => alertSinks.emailsTo.size >= memberIds.length),
    until('set-based: every first-step person\'s SMS accepted by the SMS centre', async () => alertSinks.smsTo.size >= memberIds.length),
  ]);

  // The subscribers go on after the last delivery (an escalation per NOTIFIED request): wait
  // for them, so that the baseline does not share the machine with them.
  const settled = await until(
    'set-based: every event relayed and handled',
    async () => {
      const [{ behind }] = (
        await db.query(
          `SELECT (SELECT coalesce(max(sequence), 0) FROM audit_event) - (SELECT last_sequence FROM outbox_cursor WHERE name = 'domain-events') AS behind`,
        )
      ).rows as { behind: string }[];
      return Number(behind) === 0 && (await domainEvents.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')) === 0;
    },
    DB_POLL_MS,
  );

  const missing: string[] = [];
  for (let i = 0; i < memberIds.length; i += 500) {
    const batch = memberIds.slice(i, i + 500);
    const endpoints: { id: string; webhook_url: string | null; webhook_secret: string | null }[] = (
      await db.query(`SELECT id, webhook_url, webhook_secret FROM member WHERE id = ANY($1::uuid[])`, [batch])
    ).rows;
    const versions = new Map(endpoints.map((m) => [m.id, webhookVersion(m.webhook_url, m.webhook_secret)]));
    const jobs = await Promise.all(batch.map((memberId) => notifications.getJob(jobIds.requested(activationId, memberId, versions.get(memberId) ?? 'poll'))));
    batch.forEach((memberId, index) => jobs[index] ?? missing.push(memberId));
  }
  if (missing.length > 0) throw new BenchFailure(`set-based: no notification job for ${missing.length} members, e.g. ${missing[0]}`);
  const failed = (await notifications.getJobCountByTypes('failed')) + (await domainEvents.getJobCountByTypes('failed'));
  if (failed > 0) throw new BenchFailure(`set-based: ${failed} jobs failed`);
  await checkDeliveries(db, 'set-based', sink.tally(set.segment), activationId);
  const twice = [...alertSinks.emailsTo.values(), ...alertSinks.smsTo.values()].filter((count) => count > 1).length;
  if (twice > 0) throw new BenchFailure(`set-based: ${twice} people alerted twice for the first step`);

  return {
    cpu: { start: cpuAtStart, delivered: cpuAtDelivered! },
    alerted: {
      emails: emailed - started, sms: texted - started, people: alertSinks.emailsTo.size,
      firstEmail: alertSinks.firstEmailAt - started, firstSms: alertSinks.firstSmsAt - started,
    },
    timeline: { committed: authorized.at - started, enqueued: enqueued - started, delivered: delivered - started, notified: notified - started },
    requestCount: authorized.requestCount,
    firstDelivery: sink.tally(set.segment).firstAt! - started,
    settled: settled - started,
  };
}

async function runNaive(
  context: { db: pg.Client; sink: WebhookSink; naive: NaiveBaseline; config: AppConfig },
  activationId: string,
  set: ResponderSet,
): Promise<Timeline> {
  const { db, sink, naive, config } = context;
  const started = performance.now();
  const requestIds = await naive.commit(activationId, CRISIS_TYPE, config.readinessMaxAgeDays);
  const committed = performance.now();
  if (requestIds.length !== set.assets) throw new BenchFailure(`naive: ${requestIds.length} requests inserted, not ${set.assets}`);

  const [enqueued, delivered, notified] = await Promise.all([
    naive.enqueue(requestIds).then(() => performance.now()),
    within('naive: every request received by the sink', sink.whenReceived(set.segment, set.assets)),
    until('naive: every request NOTIFIED', async () => (await countNotified(db, activationId)) >= set.assets, DB_POLL_MS),
  ]);

  const failed = await naive.failedJobs();
  if (failed > 0) throw new BenchFailure(`naive: ${failed} jobs failed`);
  await checkDeliveries(db, 'naive', sink.tally(set.segment), activationId);
  return { committed: committed - started, enqueued: enqueued - started, delivered: delivered - started, notified: notified - started };
}

function report(
  header: string[],
  sets: { fanOut: ResponderSet; naive: ResponderSet },
  setBased: SetBasedResult,
  naive: Timeline,
  tallies: { fanOut: SinkTally; naive: SinkTally },
  workerPid: number | undefined,
): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const rate = (requests: number, ms: number) => (requests / (ms / 1000)).toFixed(0);
  const count = (value: number) => value.toLocaleString('en');
  const scale = sets.fanOut.assets / sets.naive.assets;
  const scaled = scale !== 1;
  const stages: [string, keyof Timeline][] = [
    ['requests committed', 'committed'],
    ['all notification jobs enqueued', 'enqueued'],
    ['all requests received by the sink', 'delivered'],
    ['all requests NOTIFIED in the database', 'notified'],
  ];
  const rows = [
    [
      'from the start of the run until', 'set-based', 'req/s', scaled ? `naive, ${count(sets.naive.assets)} measured` : 'naive', 'req/s',
      ...(scaled ? [`naive, x${scale.toFixed(2)} extrapolated`] : []), 'naive / set-based',
    ],
    ...stages.map(([name, stage]) => [
      name,
      seconds(setBased.timeline[stage]),
      rate(sets.fanOut.assets, setBased.timeline[stage]),
      seconds(naive[stage]),
      rate(sets.naive.assets, naive[stage]),
      ...(scaled ? [seconds(naive[stage] * scale)] : []),
      `${((naive[stage] * scale) / setBased.timeline[stage]).toFixed(1)}x`,
    ]),
  ];
  const redelivered = (tally: SinkTally) => tally.requests - tally.deliveryOf.size;
  return [
    ...header,
    '',
    table(rows),
    '',
    deliveryVerdict(sets.fanOut.assets, setBased.timeline.delivered, busyOf(cpuUse(setBased.cpu.start, setBased.cpu.delivered, []))),
    '',
    `processor time from the authorization until every request reached the sink (${os.cpus().length} cores, ${os.cpus().length * 1000} ms/s in all):`,
    table(cpuRows(setBased.cpu.start, setBased.cpu.delivered, sets.fanOut.assets, workerPid)),
    '',
    `set-based: POST /activations/:id/authorize answered requestCount ${setBased.requestCount}; its transaction held ${count(sets.fanOut.assets)} requests`,
    `  (one INSERT ... SELECT) and one ActivationAuthorized audit event sealing their digest. ${count(tallies.fanOut.posts)} webhook POSTs to ${count(tallies.fanOut.deliveryIdsByPath.size)} members,`,
    `  the first after ${seconds(setBased.firstDelivery)}; ${redelivered(tallies.fanOut)} requests redelivered; ${tallies.fanOut.signaturesChecked} signatures verified (each member's`,
    `  first delivery). Every event relayed and handled (alerts and notices queued) after ${seconds(setBased.settled)}.`,
    `alerts: ${count(setBased.alerted.people)} first-step people (one per member, email and phone verified), one alert each listing its`,
    `  member's ${ASSETS_PER_MEMBER} requests: every email accepted by the local SMTP server after ${seconds(setBased.alerted.emails)}, every SMS by the local`,
    `  SMS centre (SMPP) after ${seconds(setBased.alerted.sms)}, from the authorization (the first email after ${seconds(setBased.alerted.firstEmail)},`,
    `  the first SMS after ${seconds(setBased.alerted.firstSms)}); nobody alerted twice (target: under 10 s).`,
    `naive: the same candidate SELECT, then TypeORM save() per row (a SELECT and an INSERT each) in one transaction, no audit events;`,
    `  queue.add() per request into '${NAIVE_QUEUE}'; a worker of the same concurrency (50) POSTs one webhook per request with the`,
    `  application's WebhookClient, then UPDATEs that row. ${count(tallies.naive.posts)} POSTs; ${redelivered(tallies.naive)} requests redelivered;`,
    `  ${tallies.naive.signaturesChecked} signatures verified. Run after the set-based run had settled, ${
      scaled ? `on ${count(sets.naive.assets)} requests, its times scaled by ${scale.toFixed(2)} for the ratio` : 'in full'
    }.`,
    '',
  ].join('\n');
}

/** The delivery time against its target (10 s for 10,000 requests, 20 s for 100,000), and its cost per request. */
function deliveryVerdict(requests: number, deliveredMs: number, busyMsPerSecond: number): string {
  const targetMs = requests <= 10_000 ? 10_000 : requests <= 100_000 ? 20_000 : null;
  const perRequest = `${((deliveredMs * 1000) / requests).toFixed(0)} µs of wall time and ${((busyMsPerSecond * deliveredMs) / requests).toFixed(0)} µs of processor time a request`;
  const verdict = targetMs === null ? 'no target at this size' : `target <= ${targetMs / 1000} s: ${deliveredMs <= targetMs ? 'met' : 'not met'}`;
  return `delivery: ${requests.toLocaleString('en')} requests at the sink in ${(deliveredMs / 1000).toFixed(2)} s, ${perRequest}; ${verdict}`;
}

/**
 * Where the processor time went while the fan-out was delivered: per process group in ms per
 * second of wall time, then per request delivered (the whole machine's busy time over the requests).
 */
function cpuRows(from: CpuSnapshot, to: CpuSnapshot, requests: number, workerPid: number | undefined): string[][] {
  const groups = [
    { name: workerPid ? 'benchmark: API and sinks' : 'benchmark: API, workers and sinks', matches: (pid: number) => pid === process.pid },
    ...(workerPid ? [{ name: 'worker process', matches: (pid: number) => pid === workerPid }] : []),
    { name: 'PostgreSQL', matches: (_pid: number, name: string) => name === 'postgres' },
    { name: 'Redis', matches: (_pid: number, name: string) => name.startsWith('redis-server') },
  ];
  const use = cpuUse(from, to, groups);
  const seconds = (to.at - from.at) / 1000;
  const perRequest = (ms: number) => ((ms * seconds * 1000) / requests).toFixed(1);
  return [
    ['process', 'ms/s', 'µs per request'],
    ...[...groups.map((group) => group.name), 'other', 'idle'].map((name) => [name, use.get(name)!.toFixed(0), perRequest(use.get(name)!)]),
    ['all but idle', busyOf(use).toFixed(0), perRequest(busyOf(use))],
  ];
}

/** One duty officer per member, its email and phone verified: the first step of every chain, alerted by email and SMS. */
async function seedVerifiedContacts(db: pg.Client, memberIds: string[]): Promise<void> {
  await db.query(
    `WITH created AS (
       INSERT INTO contact (id, member_id, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
       SELECT gen_random_uuid(), m.id, 'Astreinte ' || n, 'DUTY_OFFICER', '+3370' || lpad(n::text, 7, '0'), 'astreinte' || n || '@bench.test', 1, true, now(), now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n)
       RETURNING id, phone, email
     )
     INSERT INTO contact_method (contact_id, method, address, verified_at)
     SELECT id, 'email', email, now() FROM created UNION ALL SELECT id, 'sms', phone, now() FROM created`,
    [memberIds],
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const assets = countArgument(argv, 'assets', DEFAULT_ASSETS);
  const naiveAssets = Math.min(assets, countArgument(argv, 'naive-assets', DEFAULT_NAIVE_LIMIT));
  // As deployed by default: the API in this process, the queue workers and the relay in a process of their own.
  const inProcess = argv.includes('--in-process');
  const members = Math.ceil(assets / ASSETS_PER_MEMBER);
  const sets = {
    fanOut: { segment: 'm', category: 'DRONE', members, assets, sirenOffset: 0 },
    naive: { segment: 'naive', category: 'SOFTWARE', members: Math.ceil(naiveAssets / ASSETS_PER_MEMBER), assets: naiveAssets, sirenOffset: members },
  } satisfies Record<string, ResponderSet>;
  const queuePrefix = `renfort-bench-${randomBytes(4).toString('hex')}`;
  // Other work on the machine moves the figures: the load before the run says how quiet it was.
  const loadBefore = os.loadavg()[0];

  await recreateDatabase(BENCH_DATABASE);
  const sink = await WebhookSink.start((segment, n) => webhookSecret(segment, n));
  const alertSinks = await AlertSinks.start('bench', 'bench123');
  const environment = {
    RELAY_INTERVAL_MS: '20',
    SMTP_URL: alertSinks.smtpUrl,
    SMTP_FROM: 'Renfort <alertes@renfort.bench>',
    SMPP_URL: alertSinks.smppUrl,
    SMPP_SYSTEM_ID: 'bench',
    SMPP_PASSWORD: 'bench123',
    SMPP_SOURCE_ADDRESS: 'Renfort',
  };
  const config = benchConfig(BENCH_DATABASE, queuePrefix, { ...environment, RUN_WORKERS: inProcess ? 'true' : 'false' });
  progress(`starting the application on ${BENCH_DATABASE}, queue prefix ${queuePrefix}${inProcess ? ', its workers in this process' : ', and a worker process'}`);
  const app: NestFastifyApplication = await createApp(config);
  let workers: WorkerProcess | undefined;
  const db = new pg.Client({ connectionString: config.databaseUrl, application_name: 'renfort-bench' });
  await db.connect();
  const connection = { url: REDIS_URL };
  const notifications = new Queue(NOTIFICATIONS_QUEUE, { connection, prefix: queuePrefix });
  const domainEvents = new Queue(DOMAIN_EVENTS_QUEUE, { connection, prefix: queuePrefix });
  let naive: NaiveBaseline | undefined;
  try {
    const seedStarted = performance.now();
    const fanOutMembers = await seedResponders(db, sink.url, sets.fanOut);
    await seedVerifiedContacts(db, fanOutMembers);
    await seedResponders(db, sink.url, sets.naive);
    await db.query(`ANALYZE member, asset, convention, convention_asset`);
    const seedMs = performance.now() - seedStarted;
    progress(`seeded ${assets} + ${naiveAssets} assets in ${(seedMs / 1000).toFixed(1)} s`);

    if (!inProcess) workers = await startWorkerProcess(benchEnvironment(BENCH_DATABASE, queuePrefix, { ...environment, RUN_MIGRATIONS: 'false' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    // The sweeper re-delivers requests left PENDING for a minute: the baseline's rows, which no
    // authorization queued, would look lost to it once the baseline runs long.
    await app.get<Queue>(getQueueToken(NOTIFICATION_SWEEPS_QUEUE)).removeJobScheduler(SWEEP_SCHEDULER_ID);

    const adminToken = await signIn(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    const actors: Actors = {
      baseUrl,
      operator: await signedInUser(baseUrl, adminToken, 'CRISIS_OPERATOR'),
      minister: await signedInUser(baseUrl, adminToken, 'MINISTER'),
    };
    const crisis = await post<{ id: string }>(
      baseUrl,
      '/api/v1/crises',
      { title: 'Crues dans les Alpes-Maritimes (benchmark)', type: CRISIS_TYPE, departements: [RESPONDER_DEPARTEMENT], severity: 3 },
      actors.operator,
    );
    const fanOutActivation = await preparedActivation(actors, crisis.id, sets.fanOut.category, assets);
    const naiveActivation = await preparedActivation(actors, crisis.id, sets.naive.category, naiveAssets);

    progress(`set-based: authorizing ${assets} requests`);
    const setBased = await runSetBased({ actors, db, sink, notifications, domainEvents, alertSinks }, fanOutActivation, sets.fanOut, fanOutMembers);

    progress(`naive: ${naiveAssets} requests`);
    naive = await NaiveBaseline.start({
      databaseUrl: config.databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix,
      webhook: config.webhook,
      // The application's client, on the same configuration (the workers, which hold theirs, may run in another process).
      webhooks: new WebhookClient(config),
    });
    const naiveTimeline = await runNaive({ db, sink, naive, config }, naiveActivation, sets.naive);

    console.log(
      report(
        [
          '',
          `Fan-out benchmark, ${new Date().toISOString()}`,
          `${await machine(db)}, load average ${loadBefore.toFixed(2)} (1 min) before the run`,
          `data: ${assets} ${sets.fanOut.category} assets of ${members} members for the set-based run, ${naiveAssets} ${sets.naive.category} assets of`,
          `  ${sets.naive.members} other members for the naive one (${ASSETS_PER_MEMBER} a member, each a webhook on the local sink), seeded in ${(seedMs / 1000).toFixed(1)} s;`,
          `  relay every ${config.relay.intervalMs} ms, batches of ${config.relay.batchSize}; ${
            inProcess ? 'the queue workers and the relay in the benchmark\'s process' : 'the queue workers and the relay in a worker process, as deployed'
          }`,
          `targets on this machine: 10,000 requests committed in <= 1 s and delivered in <= 10 s; 100,000 committed in <= 8 s and delivered`,
          `  in <= 20 s, at a cost per request within 1.2x of 10,000's (compare the µs per request of two runs)`,
        ],
        sets,
        setBased,
        naiveTimeline,
        { fanOut: sink.tally(sets.fanOut.segment), naive: sink.tally(sets.naive.segment) },
        workers?.pid,
      ),
    );
  } finally {
    await workers?.stop();
    await naive?.close();
    await notifications.close();
    await domainEvents.close();
    await db.end();
    await app.close();
    await sink.close();
    await alertSinks.close();
    await deleteRedisKeys(queuePrefix);
  }
}

runBench(main);
