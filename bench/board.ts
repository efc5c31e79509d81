import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { ActivationEventHub } from '../src/crisis/live/activation-event-hub.js';
import { RESPONDER_DEPARTEMENT, seedResponders, webhookSecret } from './seed-responders.js';
import {
  BENCH_ADMIN, BenchFailure, benchConfig, benchEnvironment, deleteRedisKeys, machine, percentile, post, progressOf, recreateDatabase, request, runBench,
  signedInUser, signIn, startWorkerProcess, table,
} from './support.js';
import { WebhookSink } from './webhook-sink.js';

/*
 * Live board benchmark: one activation of 10,000 requests; members answer over HTTP while
 * browsers follow the activation's event stream (GET /activations/:id/events). It prints the
 * delay between an answer's 200 and its event reaching an open stream (p50, p99, max), then
 * opens 100, 500 and 1,000 concurrent streams on one API instance and prints the delivery delay
 * to all of them and the memory they cost. The API runs in this process (the stream readers
 * too: the memory figures include both sides), the workers and the relay in a worker process,
 * as deployed. It asserts no figure (target: p99 under 1 s); it fails when a stream misses an
 * event or gets one twice. Run with `npm run bench:board`.
 */

const DATABASE = 'renfort_bench_board';
const CATEGORY = 'DRONE';
const MEMBERS = 100;
const ASSETS_PER_MEMBER = 100;
const REQUESTS = MEMBERS * ASSETS_PER_MEMBER;
const ANSWER_CONNECTIONS = 20;
const FOLLOWING_STREAMS = 10;
const STREAM_COUNTS = [100, 500, 1000];
/** Accepts answered while each set of streams is open. */
const ANSWERS_PER_STREAM_SET = 100;
const WAIT_LIMIT_MS = 5 * 60_000;
const MEMBER_PASSWORD = 'renfort-bench-member-password';
const progress = progressOf('bench:board');

/** A browser following the stream: the time each message arrived, by sequence. */
class StreamFollower {
  readonly arrivals = new Map<number, { at: number; requestId: string | null; event: string }>();
  duplicates = 0;
  private readonly abort = new AbortController();

  static async open(baseUrl: string, activationId: string, token: string, after: number): Promise<StreamFollower> {
    const follower = new StreamFollower();
    const response = await fetch(`${baseUrl}/api/v1/activations/${activationId}/events`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'last-event-id': String(after) },
      signal: follower.abort.signal,
    });
    if (response.status !== 200) throw new BenchFailure(`the stream answered ${response.status}: ${await response.text()}`);
    void follower.read(response.body!);
    return follower;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          const message = JSON.parse(data) as { sequence: number; type: string; requestId: string | null };
          if (this.arrivals.has(message.sequence)) this.duplicates += 1;
          this.arrivals.set(message.sequence, { at, requestId: message.requestId, event: message.type });
        }
      }
    } catch {
      // Closed by the benchmark.
    }
  }

  close(): void {
    this.abort.abort();
  }
}

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new BenchFailure(`${what}: still not the case after ${WAIT_LIMIT_MS / 1000} s`);
    await sleep(50);
  }
}

/** Answers the requests (one HTTP call each, `connections` at a time); answers when each one's 200 arrived. */
async function answer(baseUrl: string, action: string, requests: { id: string; token: string }[], body: unknown): Promise<Map<string, number>> {
  const answeredAt = new Map<string, number>();
  await inPool(requests, ANSWER_CONNECTIONS, async ({ id, token }) => {
    const answered = await request(`${baseUrl}/api/v1/mobilizations/${id}/${action}`, { method: 'POST', token, body });
    if (answered.status !== 200) throw new BenchFailure(`${action} ${id} answered ${answered.status}: ${answered.text}`);
    answeredAt.set(id, performance.now());
  });
  return answeredAt;
}

/** Delays (ms) from each answer's 200 to its event on each stream; and how many (stream, answer) pairs never arrived. */
function delays(followers: StreamFollower[], answeredAt: Map<string, number>, event: string): { sorted: number[]; missing: number } {
  const sorted: number[] = [];
  let missing = 0;
  for (const follower of followers) {
    const byRequest = new Map<string, number>();
    for (const arrival of follower.arrivals.values()) if (arrival.event === event && arrival.requestId) byRequest.set(arrival.requestId, arrival.at);
    for (const [requestId, at] of answeredAt) {
      const arrived = byRequest.get(requestId);
      if (arrived === undefined) missing += 1;
      // An event may reach the stream before the client has read the whole 200: no delay then.
      else sorted.push(Math.max(0, arrived - at));
    }
  }
  return { sorted: sorted.sort((x, y) => x - y), missing };
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const queuePrefix = `renfort-bench-${randomBytes(4).toString('hex')}`;
  const loadBefore = os.loadavg()[0];
  await recreateDatabase(DATABASE);
  const sink = await WebhookSink.start((segment, n) => webhookSecret(segment, n));
  const environment = { LOG_LEVEL: 'error', LOGIN_THROTTLE_LIMIT: '10000', COMMAND_THROTTLE_LIMIT: '1000000' };
  const config = benchConfig(DATABASE, queuePrefix, { ...environment, RUN_WORKERS: 'false' });
  progress(`starting the application on ${DATABASE} and a worker process`);
  const app = await createApp(config);
  const workers = await startWorkerProcess(benchEnvironment(DATABASE, queuePrefix, { ...environment, RUN_MIGRATIONS: 'false' }));
  const db = new pg.Client({ connectionString: config.databaseUrl, application_name: 'renfort-bench' });
  await db.connect();
  const followers: StreamFollower[] = [];
  try {
    const memberIds = await seedResponders(db, sink.url, { segment: 'board', category: CATEGORY, members: MEMBERS, assets: REQUESTS, sirenOffset: 0 });
    // They poll: their requests are NOTIFIED as soon as the delivery job runs.
    await db.query(`UPDATE member SET webhook_url = NULL, webhook_secret = NULL WHERE id = ANY($1::uuid[])`, [memberIds]);
    await db.query(`ANALYZE member, asset, convention, convention_asset`);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const adminToken = await signIn(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    const operator = await signedInUser(baseUrl, adminToken, 'CRISIS_OPERATOR');
    const minister = await signedInUser(baseUrl, adminToken, 'MINISTER');
    progress(`creating ${MEMBERS} member users`);
    const tokenOf = new Map<string, string>();
    await inPool(memberIds.map((memberId, index) => ({ memberId, index })), 8, async ({ memberId, index }) => {
      const email = `duty-${index + 1}@members.renfort-bench.local`;
      await post(baseUrl, '/api/v1/users', { email, password: MEMBER_PASSWORD, role: 'MEMBER', memberId }, adminToken);
      tokenOf.set(memberId, await signIn(baseUrl, email, MEMBER_PASSWORD));
    });

    const crisis = await post<{ id: string }>(
      baseUrl, '/api/v1/crises', { title: 'Crues (benchmark du tableau de bord)', type: 'NATURAL_DISASTER', departements: [RESPONDER_DEPARTEMENT], severity: 3 }, operator,
    );
    const activation = await post<{ id: string }>(
      baseUrl, `/api/v1/crises/${crisis.id}/activations`, { decisionReference: 'Décision bench tableau', requirements: [{ category: CATEGORY, quantity: REQUESTS }] }, operator,
    );
    progress(`authorizing ${REQUESTS} requests and waiting until they are NOTIFIED`);
    const { requestCount } = await post<{ requestCount: number }>(baseUrl, `/api/v1/activations/${activation.id}/authorize`, {}, minister);
    if (requestCount !== REQUESTS) throw new BenchFailure(`the authorization asked ${requestCount} assets, not ${REQUESTS}`);
    await until('every request NOTIFIED', async () => {
      const { rows: [{ count }] } = await db.query(`SELECT count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [activation.id]);
      return count >= REQUESTS;
    });
    const requests = (await db.query(`SELECT id, member_id FROM mobilization_request WHERE activation_id = $1 ORDER BY random()`, [activation.id])).rows
      .map((row: { id: string; member_id: string }) => ({ id: row.id, token: tokenOf.get(row.member_id)! }));

    const boardStarted = performance.now();
    const board = await request(`${baseUrl}/api/v1/activations/${activation.id}/board`, { token: operator });
    const boardMs = performance.now() - boardStarted;
    if (board.status !== 200) throw new BenchFailure(`the board answered ${board.status}`);
    const { asOfSequence } = JSON.parse(board.text) as { asOfSequence: number };

    progress(`${FOLLOWING_STREAMS} streams follow while ${REQUESTS} acknowledgements arrive`);
    const hub = app.get(ActivationEventHub);
    for (let i = 0; i < FOLLOWING_STREAMS; i += 1) followers.push(await StreamFollower.open(baseUrl, activation.id, operator, asOfSequence));
    const readsBefore = hub.stats().liveReads;
    const answersStarted = performance.now();
    const acknowledged = await answer(baseUrl, 'acknowledge', requests, {});
    const answersSeconds = (performance.now() - answersStarted) / 1000;
    await until('every acknowledgement on every stream', () => delays(followers, acknowledged, 'MobilizationRequestAcknowledged').missing === 0);
    const liveReads = hub.stats().liveReads - readsBefore;
    const following = delays(followers, acknowledged, 'MobilizationRequestAcknowledged');
    const followingDuplicates = followers.reduce((sum, follower) => sum + follower.duplicates, 0);
    for (const follower of followers.splice(0)) follower.close();
    await until('the streams closed', () => hub.stats().streams === 0);

    const rows: string[][] = [['streams', 'open in ms', 'answers', 'p50 ms', 'p99 ms', 'max ms', 'missed', 'duplicates', 'RSS +MB', 'heap +MB', 'RSS closed +MB']];
    let next = 0;
    for (const count of STREAM_COUNTS) {
      progress(`${count} concurrent streams, ${ANSWERS_PER_STREAM_SET} accepts`);
      global.gc?.();
      const before = process.memoryUsage();
      const [{ last }] = (await db.query(`SELECT coalesce(max(sequence), 0)::bigint AS last FROM audit_event`)).rows as { last: string }[];
      const openStarted = performance.now();
      const set: StreamFollower[] = [];
      for (let i = 0; i < count; i += 50) {
        set.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => StreamFollower.open(baseUrl, activation.id, operator, Number(last))))));
      }
      followers.push(...set);
      await until(`${count} streams subscribed`, () => hub.stats().streams === count);
      const openMs = performance.now() - openStarted;
      const opened = process.memoryUsage();
      const accepted = await answer(baseUrl, 'accept', requests.slice(next, next + ANSWERS_PER_STREAM_SET), { quantity: 1 });
      next += ANSWERS_PER_STREAM_SET;
      await until(`every accept on ${count} streams`, () => delays(set, accepted, 'MobilizationRequestAccepted').missing === 0);
      const figures = delays(set, accepted, 'MobilizationRequestAccepted');
      const duplicates = set.reduce((sum, follower) => sum + follower.duplicates, 0);
      for (const follower of followers.splice(0)) follower.close();
      await until('the streams closed', () => hub.stats().streams === 0);
      await sleep(500);
      global.gc?.();
      const closed = process.memoryUsage();
      rows.push([
        String(count), ms(openMs), String(accepted.size), ms(percentile(figures.sorted, 50)), ms(percentile(figures.sorted, 99)), ms(figures.sorted.at(-1) ?? NaN),
        String(figures.missing), String(duplicates), mb(opened.rss - before.rss), mb(opened.heapUsed - before.heapUsed), mb(closed.rss - before.rss),
      ]);
      if (duplicates > 0) throw new BenchFailure(`${duplicates} events sent twice to ${count} streams`);
    }

    const p99 = percentile(following.sorted, 99);
    console.log(
      [
        '',
        `Live board benchmark, ${new Date().toISOString()}`,
        `${await machine(db)}, load average ${loadBefore.toFixed(2)} (1 min) before the run`,
        `data: one activation of ${REQUESTS} requests to ${MEMBERS} polling members; the API in this process, the relay (interval ${config.relay.intervalMs} ms) in a worker process.`,
        `board: GET /activations/:id/board of ${REQUESTS} requests answered in ${boardMs.toFixed(0)} ms (${(board.text.length / 1024 / 1024).toFixed(1)} MB of JSON)`,
        '',
        `${REQUESTS} acknowledgements over HTTP (${ANSWER_CONNECTIONS} connections, ${(REQUESTS / answersSeconds).toFixed(0)} answers/s) followed by ${FOLLOWING_STREAMS} streams;`,
        `delay from each answer's 200 to its event on each stream (${following.sorted.length} deliveries):`,
        table([
          ['p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'missed', 'duplicates', 'live reads of the log'],
          [ms(percentile(following.sorted, 50)), ms(percentile(following.sorted, 90)), ms(p99), ms(following.sorted.at(-1) ?? NaN), String(following.missing), String(followingDuplicates), String(liveReads)],
        ]),
        `target: p99 under 1 s: ${p99 < 1000 ? 'met' : 'not met'}; ${liveReads} reads of the log fed ${FOLLOWING_STREAMS} streams ${REQUESTS} events each`,
        '',
        `concurrent streams on one instance (${ANSWERS_PER_STREAM_SET} accepts each; memory of this process, server and readers together):`,
        table(rows),
        '',
      ].join('\n'),
    );
    if (following.missing > 0 || followingDuplicates > 0) throw new BenchFailure(`${following.missing} events missed, ${followingDuplicates} sent twice`);
  } finally {
    for (const follower of followers) follower.close();
    await workers.stop();
    await db.end();
    await app.close();
    await sink.close();
    await deleteRedisKeys(queuePrefix);
  }
}

runBench(main);
