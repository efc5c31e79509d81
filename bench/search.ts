import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { seedRegistry, type SeedSize } from './seed-registry.js';
import {
  BENCH_ADMIN as ADMIN, BENCH_DATABASE as DATABASE, BenchFailure, deleteRedisKeys, percentile, progressOf, recreateDatabase, request, signedInUser, signIn, table, benchConfig,
} from './support.js';

const progress = progressOf('bench:search');

/*
 * Search benchmark: GET /api/v1/assets over 100,000 assets, through the real application
 * (HTTP, guard, validation, CQRS, TypeORM, PostgreSQL). It prints figures and asserts none;
 * the target is a median under 50 ms for a filtered, paged search. It fails only when a
 * request does. Run with `npm run bench:search`.
 */

const SIZE: SeedSize = { members: 500, assets: 100_000, unavailabilityWindows: 400 };
const WARM_UP = 20;
const MEASURED = 200;

interface Scenario {
  name: string;
  token: string;
  /** Query string of the i-th request; the page moves a little so that not every request is the same. */
  query: (i: number) => string;
  check?: (page: AssetPage) => string | null;
}

interface AssetPage {
  items: { memberId: string }[];
  total: number;
}

interface Figures {
  total: number;
  latencies: number[];
  elapsedMs: number;
}

async function run(baseUrl: string, scenario: Scenario): Promise<Figures> {
  const get = async (i: number) => {
    const path = `/api/v1/assets?${scenario.query(i)}`;
    const { status, text, latencyMs } = await request(`${baseUrl}${path}`, { token: scenario.token });
    if (status !== 200) throw new BenchFailure(`${scenario.name}: GET ${path} answered ${status}: ${text}`);
    const page = JSON.parse(text) as AssetPage;
    if (page.total <= 0) throw new BenchFailure(`${scenario.name}: GET ${path} matched nothing`);
    const problem = scenario.check?.(page);
    if (problem) throw new BenchFailure(`${scenario.name}: GET ${path}: ${problem}`);
    return { latencyMs, total: page.total };
  };

  for (let i = 0; i < WARM_UP; i += 1) await get(i);
  const latencies: number[] = [];
  let total = 0;
  const started = performance.now();
  for (let i = 0; i < MEASURED; i += 1) {
    const result = await get(i);
    latencies.push(result.latencyMs);
    total = result.total;
  }
  return { total, latencies, elapsedMs: performance.now() - started };
}

/**
 * Plans of the two statements a search issues, the page and the count, written as TypeORM
 * builds them for SearchAssetsHandler.
 */
async function explainSearch(db: pg.Client, where: string, params: string[], offset: number): Promise<string[]> {
  const statements = {
    page: `SELECT a.* FROM asset a WHERE ${where} ORDER BY a.created_at ASC, a.id ASC LIMIT 50 OFFSET ${offset}`,
    count: `SELECT COUNT(1) FROM asset a WHERE ${where}`,
  };
  const lines: string[] = [];
  for (const [name, sql] of Object.entries(statements)) {
    const [{ 'QUERY PLAN': [plan] }] = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows as {
      'QUERY PLAN': { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }[];
    }[];
    lines.push(
      `  ${name.padEnd(5)}  planning ${plan['Planning Time'].toFixed(2)} ms, execution ${plan['Execution Time'].toFixed(2)} ms: ${describePlan(plan.Plan)}`,
    );
  }
  return lines;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function describePlan(node: PlanNode): string {
  const self = node['Index Name'] ? `${node['Node Type']} on ${node['Index Name']}` : node['Node Type'];
  return node.Plans?.length ? `${self} <- ${node.Plans.map(describePlan).join(' + ')}` : self;
}

async function main(): Promise<void> {
  const queuePrefix = `renfort-bench-${randomBytes(4).toString('hex')}`;
  await recreateDatabase(DATABASE);
  const config = benchConfig(DATABASE, queuePrefix);
  progress(`starting the application on ${DATABASE}, queue prefix ${queuePrefix}`);
  const app = await createApp(config);
  const db = new pg.Client({ connectionString: config.databaseUrl, application_name: 'renfort-bench' });
  await db.connect();
  try {
    const seedStarted = performance.now();
    await seedRegistry(db, SIZE);
    const seedMs = performance.now() - seedStarted;
    progress(`seeded ${SIZE.assets} assets in ${(seedMs / 1000).toFixed(1)} s`);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;

    // The member whose user searches: the active one with the most assets covering the Var.
    const [{ id: memberId, matching }] = (
      await db.query(
        `SELECT m.id, count(*)::int AS matching FROM member m JOIN asset a ON a.member_id = m.id
         WHERE m.status = 'ACTIVE' AND (a.national OR a.departements @> ARRAY['83'])
         GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1`,
      )
    ).rows as { id: string; matching: number }[];

    const adminToken = await signIn(baseUrl, ADMIN.email, ADMIN.password);
    const operator = await signedInUser(baseUrl, adminToken, 'CRISIS_OPERATOR');
    const member = await signedInUser(baseUrl, adminToken, 'MEMBER', { memberId });

    const scenarios: Scenario[] = [
      {
        name: 'operator: DRONE in 06, AVAILABLE',
        token: operator,
        query: (i) => `category=DRONE&departement=06&status=AVAILABLE&pageSize=50&page=${1 + (i % 5)}`,
      },
      { name: 'operator: 13, by name', token: operator, query: (i) => `departement=13&sort=name&page=${1 + (i % 10)}` },
      {
        name: 'operator: fresh CYBER_EXPERT, by lead time',
        token: operator,
        query: (i) => `stale=false&category=CYBER_EXPERT&sort=leadTimeMinutes&page=${1 + (i % 10)}`,
      },
      {
        name: 'operator: no filter, page ~200',
        token: operator,
        query: (i) => `pageSize=50&page=${198 + (i % 5)}`,
        check: (page) => (page.items.length === 50 ? null : `expected a full page, got ${page.items.length} items`),
      },
      {
        name: 'member: own assets in 83',
        token: member,
        query: (i) => `departement=83&pageSize=20&page=${1 + (i % Math.ceil(matching / 20))}`,
        check: (page) => (page.items.every((item) => item.memberId === memberId) ? null : 'saw another member\'s asset'),
      },
    ];

    const rows = [['scenario', 'total', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s']];
    for (const scenario of scenarios) {
      progress(scenario.name);
      const { total, latencies, elapsedMs } = await run(baseUrl, scenario);
      const sorted = [...latencies].sort((a, b) => a - b);
      const ms = (value: number) => value.toFixed(1);
      rows.push([
        scenario.name,
        String(total),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 90)),
        ms(percentile(sorted, 99)),
        ms(sorted[sorted.length - 1]),
        (latencies.length / (elapsedMs / 1000)).toFixed(0),
      ]);
    }

    const cpus = os.cpus();
    const [{ server_version: postgres }] = (await db.query(`SHOW server_version`)).rows as { server_version: string }[];
    console.log(
      [
        '',
        `Asset search benchmark, ${new Date().toISOString()}`,
        `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, PostgreSQL ${postgres}`,
        `data: ${SIZE.members} members, ${SIZE.assets} assets, ${SIZE.unavailabilityWindows} unavailability windows, seeded in ${(seedMs / 1000).toFixed(1)} s`,
        `each scenario: ${WARM_UP} warm-up then ${MEASURED} sequential requests over HTTP; target: median under 50 ms`,
        '',
        table(rows),
        '',
        'PostgreSQL plans, first scenario (page 2):',
        ...(await explainSearch(db, `a.category = $1 AND a.status = $2 AND (a.national OR a.departements @> ARRAY[$3]::text[])`, ['DRONE', 'AVAILABLE', '06'], 50)),
        'PostgreSQL plans, no filter (page 200):',
        ...(await explainSearch(db, 'true', [], 199 * 50)),
        '',
      ].join('\n'),
    );
  } finally {
    await db.end();
    await app.close();
    await deleteRedisKeys(queuePrefix);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof BenchFailure ? error.message : (error as Error)?.stack ?? error}\n`);
    process.exit(1);
  },
);
