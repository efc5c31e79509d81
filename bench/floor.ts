import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RATE_LIMIT_HIT } from '../src/common/throttling/rate-limiter.js';
import { busyOf, cpuSnapshot, cpuUse, machine, percentile, progressOf, recreateDatabase, REDIS_URL, runBench, SERVER_URL, table } from './support.js';

/*
 * Floor benchmark: what this machine allows for the least work any answer to a mobilization
 * request must do, without the application around it. A bare Fastify server (no NestJS, no
 * validation, no logging, no command bus) whose one route, for each request, checks the
 * bearer token (HS256, as the application does), counts a hit in Redis (one script run by
 * its digest, as the rate limiter does) and runs one statement that changes a row and records
 * an event, committed on its own (as an acknowledgement does). The same load as
 * bench:responses: autocannon in a worker thread of this process, 50 keep-alive connections
 * on the loopback, and no fan-out beside it. It prints answers/s, latencies and the processor
 * time per answer, to set the application's figures against: whatever the application adds
 * comes on top of these. Run with `npm run bench:floor`.
 */

const DATABASE = 'renfort_bench_floor';
const CONNECTIONS = 50;
const SECONDS = 10;
const ROWS = 100_000;
const POOL_SIZE = 20;

const progress = progressOf('bench:floor');

type Variant = 'HTTP only' | 'token, rate limit, one write';

interface LoadPlan {
  port: number;
  token: string;
}

interface LoadFigures {
  answers: number;
  non2xx: number;
  errors: number;
  /** Sorted, in milliseconds. */
  latencies: number[];
}

/** The load generator, in a worker thread: every connection posts to the next row, one after the other. */
function generateLoad({ port, token }: LoadPlan): void {
  const latencies: number[] = [];
  let next = 0;
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: '{}',
          setupRequest: (request) => ({ ...request, path: `/rows/${(next++ % ROWS) + 1}/acknowledge` }),
        },
      ],
    },
    (error, result) => {
      if (error) throw error;
      latencies.sort((a, b) => a - b);
      parentPort!.postMessage({ answers: latencies.length, non2xx: result.non2xx, errors: result.errors, latencies } satisfies LoadFigures);
    },
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
}

async function runVariant(variant: Variant, pool: pg.Pool, redis: Redis, jwt: JwtService, token: string) {
  const server = Fastify({ logger: false });
  const digest = (await redis.script('LOAD', RATE_LIMIT_HIT)) as string;
  server.post<{ Params: { id: string } }>('/rows/:id/acknowledge', async (request, reply) => {
    if (variant === 'HTTP only') return { id: request.params.id };
    const claims = await jwt.verifyAsync<{ sub: string }>(String(request.headers.authorization).slice('Bearer '.length), { algorithms: ['HS256'] });
    const [hits] = (await redis.evalsha(digest, 1, `bench-floor:rate:${claims.sub}:${Number(request.params.id) % 200}`, 60_000)) as [number, number];
    if (hits > 1_000_000) return reply.code(429).send();
    const { rows } = await pool.query({
      name: 'acknowledge-row',
      text: `WITH changed AS (
               UPDATE floor_row SET status = 'ACKNOWLEDGED', updated_at = now() WHERE id = $1 RETURNING id, status
             ), recorded AS (
               INSERT INTO floor_event (id, row_id, payload, occurred_at) SELECT gen_random_uuid(), id, jsonb_build_object('to', status), now() FROM changed
             )
             SELECT id, status FROM changed`,
      values: [Number(request.params.id)],
    });
    return rows[0];
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  try {
    const before = cpuSnapshot();
    const figures = await new Promise<LoadFigures>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { port, token } satisfies LoadPlan });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const after = cpuSnapshot();
    const use = cpuUse(before, after, [
      { name: 'this process', matches: (pid) => pid === process.pid },
      { name: 'PostgreSQL', matches: (_pid, name) => name === 'postgres' },
      { name: 'Redis', matches: (_pid, name) => name.startsWith('redis-server') },
    ]);
    return { variant, figures, use, seconds: (after.at - before.at) / 1000 };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE);
  const pool = new pg.Pool({ connectionString: `${SERVER_URL}/${DATABASE}`, max: POOL_SIZE });
  const redis = new Redis(REDIS_URL);
  try {
    await pool.query(`CREATE TABLE floor_row (id int PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL)`);
    await pool.query(`CREATE TABLE floor_event (id uuid PRIMARY KEY, row_id int NOT NULL, payload jsonb NOT NULL, occurred_at timestamptz NOT NULL)`);
    await pool.query(`INSERT INTO floor_row SELECT g, 'NOTIFIED', now() FROM generate_series(1, ${ROWS}) g`);
    const jwt = new JwtService({ secret: createSecretKey(randomBytes(32)), signOptions: { algorithm: 'HS256', expiresIn: 3600 } });
    const token = await jwt.signAsync({ sub: randomUUID(), role: 'MEMBER' });
    const runs = [];
    for (const variant of ['HTTP only', 'token, rate limit, one write'] as Variant[]) {
      progress(`${variant}: ${CONNECTIONS} connections, ${SECONDS} s`);
      runs.push(await runVariant(variant, pool, redis, jwt, token));
    }
    const [{ events }] = (await pool.query(`SELECT count(*)::int AS events FROM floor_event`)).rows as { events: number }[];

    const cores = os.cpus().length;
    const client = await pool.connect();
    const machineLine = await machine(client);
    client.release();
    process.stdout.write(`\nFloor benchmark, ${new Date().toISOString()}\n${machineLine}\n`);
    process.stdout.write(
      `a bare Fastify route, no application around it; autocannon in a worker thread, ${CONNECTIONS} connections on the loopback, ${SECONDS} s a run\n\n`,
    );
    process.stdout.write(
      `${table([
        ['per request', 'answers/s', 'p50 ms', 'p99 ms', 'errors', 'this process ms/s', 'PostgreSQL ms/s', 'Redis ms/s', 'idle ms/s', 'all ms/answer', 'answers/s the cores allow'],
        ...runs.map(({ variant, figures, use, seconds }) => {
          const rate = figures.answers / seconds;
          const busy = busyOf(use);
          return [
            variant, rate.toFixed(0), percentile(figures.latencies, 50).toFixed(1), percentile(figures.latencies, 99).toFixed(1),
            String(figures.errors + figures.non2xx), use.get('this process')!.toFixed(0), use.get('PostgreSQL')!.toFixed(0), use.get('Redis')!.toFixed(0),
            use.get('idle')!.toFixed(0), (busy / rate).toFixed(2), ((cores * 1000) / (busy / rate)).toFixed(0),
          ];
        }),
      ])}\n\n${events} events recorded by the writes\n`,
    );
  } finally {
    redis.disconnect();
    await pool.end();
  }
}

if (isMainThread) runBench(main);
else generateLoad(workerData as LoadPlan);
