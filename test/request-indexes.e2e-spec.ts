import { Logger as NestLogger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../config/database.js';
import { runMigrationsExclusively } from '../src/common/database/migrations-runner.js';
import { CANDIDATES_SQL, candidateParameters } from '../src/crisis/commands/activation-commands.js';
import { ESCALATION_BATCH } from '../src/crisis/commands/escalate-due-requests.js';
import { ACTIVATION_LIFECYCLE } from '../src/crisis/domain/activation.js';
import { AWAITING_ACKNOWLEDGEMENT, eventOfResponse, REQUEST_LIFECYCLE } from '../src/crisis/domain/mobilization-request.js';
import { ACCEPT_REQUEST, ACKNOWLEDGE_REQUEST } from '../src/crisis/persistence/response-statements.js';
import { PARTICIPATING_MEMBER_STATUSES } from '../src/registry/domain/member.js';
import { FIGURES } from '../src/reporting/queries/history-reports.js';
import { TEST_DATABASE_URL } from './test-settings.js';

/*
 * Every index of mobilization_request is written at each change of a request's status (the
 * partial ones when the new row falls in their predicate): each must be needed by a query, and
 * this suite shows it by that query's plan, over a history the size of a real one (three
 * activations of 10,000 requests, the mix of answers they leave) with fresh statistics.
 * The rows are seeded and explained in one transaction that is rolled back: no other suite ever
 * sees them, and a run on a database that kept an earlier run's data plans the same.
 */

const MEMBERS = 500;
const ASSETS_PER_MEMBER = 20;
const CATEGORIES = 4;
const ACTIVATIONS = 3;
const MINUTE = 60_000;

/** The indexes of the table, each with the query it is kept for; a new index comes with its query here. */
const EXPECTED_INDEXES = [
  'mobilization_request_pkey',
  'mobilization_request_asset_once',
  'mobilization_request_activation_idx',
  'mobilization_request_member_idx',
  'mobilization_request_convention_idx',
  'mobilization_request_requirement_idx',
  'mobilization_request_ack_deadline_idx',
  'mobilization_request_accepted_idx',
  'mobilization_request_undelivered_idx',
];

/**
 * How an activation's requests stand, by lower bound of a roll in [0, 1): ended activations
 * were answered, released or stood down; the one in progress, 20 minutes in, has a few requests
 * no delivery reached, some escalated whose next deadline just passed (the sweep has not run
 * yet), and the rest waiting, answered or deployed.
 */
const ENDED_MIX: [string, number][] = [['DECLINED', 0], ['RELEASED', 0.2], ['STOOD_DOWN', 0.45]];
const IN_PROGRESS_MIX: [string, number][] = [
  ['UNDELIVERED', 0], ['NOTIFIED', 0.005], ['DUE', 0.25], ['ESCALATED', 0.28], ['ACKNOWLEDGED', 0.33], ['ACCEPTED', 0.5],
  ['DECLINED', 0.62], ['DEPLOYED', 0.77], ['STOOD_DOWN', 0.85],
];

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Subplan Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Total Cost': number;
  'Conflict Arbiter Indexes'?: string[];
  Plans?: PlanNode[];
}

describe('Indexes of mobilization_request: each is used by the query it is kept for', () => {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const tag = randomUUID().slice(0, 8);
  let db: DataSource;
  let runner: QueryRunner;
  /** The rows the queries are asked about: the activation in progress, one of its requests and what it belongs to. */
  const subject = {} as { activationId: string; requestId: string; memberId: string; conventionId: string; userId: string };
  const activationIds: string[] = [];

  beforeAll(async () => {
    NestLogger.overrideLogger(['fatal']);
    db = await new DataSource(dataSourceOptions(TEST_DATABASE_URL)).initialize();
    await runMigrationsExclusively(db);
    runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // A lock held elsewhere (the DROP INDEX of a savepoint waits for every reader of the table) fails the suite, not the whole run.
    await runner.query(`SET LOCAL lock_timeout = '10s'`);
    // About 2.5 s here: members, assets, conventions, 30,000 requests and their 90,000 steps, then ANALYZE.
    await seed();
  }, 120_000);

  afterAll(async () => {
    await runner?.rollbackTransaction();
    await runner?.release();
    await db?.destroy();
  });

  const query = <T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> => runner.query(sql, params);

  /** Members with two contacts each, their assets under one convention each, and three activations asking for every asset. */
  async function seed(): Promise<void> {
    const categories = Array.from({ length: CATEGORIES }, (_, i) => `IX_${tag.toUpperCase()}_${i + 1}`);
    await query(`INSERT INTO asset_category (code, label) SELECT code, 'Index plans ' || code FROM unnest($1::text[]) AS code`, [categories]);
    const [operator, minister] = await query<{ id: string }>(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, '!', 'CRISIS_OPERATOR'), ($2, '!', 'MINISTER') RETURNING id`,
      [`operator.${tag}@index-plans.test`, `minister.${tag}@index-plans.test`],
    );
    subject.userId = operator.id;
    // SIRENs drawn at random, leaving out those another suite's members hold.
    const members = (
      await query<{ id: string }>(
        `INSERT INTO member (id, legal_name, siren, charter_signed_at, charter_signatory, status, version, created_at, updated_at)
         SELECT gen_random_uuid(), 'Index plans ' || $1 || ' ' || n, siren, date '2024-01-15', 'Claire Martin', 'ACTIVE', 1, now(), now()
         FROM (SELECT siren, row_number() OVER () AS n
               FROM (SELECT DISTINCT lpad(floor(random() * 1e9)::bigint::text, 9, '0') AS siren FROM generate_series(1, $2::int * 2)) s
               WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.siren = s.siren) LIMIT $2) c
         RETURNING id`,
        [tag, MEMBERS],
      )
    ).map((row) => row.id);
    expect(members).toHaveLength(MEMBERS);
    await query(
      `INSERT INTO contact (id, member_id, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
       SELECT gen_random_uuid(), m, 'Contact ' || o, 'DUTY_OFFICER', '+3361234567' || o, 'c' || o || '@index-plans.test', o, true, now(), now()
       FROM unnest($1::uuid[]) AS m, generate_series(1, 2) AS o`,
      [members],
    );
    await query(
      `INSERT INTO asset (id, member_id, category, name, quantity, lead_time_minutes, national, departements, status, attested_at, version, created_at, updated_at)
       SELECT gen_random_uuid(), m, ($2::text[])[1 + g % cardinality($2::text[])], 'Index plans asset ' || g, 1 + g % 3, 60, true, '{}', 'AVAILABLE',
              now(), 1, now(), now()
       FROM unnest($1::uuid[]) AS m, generate_series(1, $3::int) AS g`,
      [members, categories, ASSETS_PER_MEMBER],
    );
    await query(
      `INSERT INTO convention (id, lineage_id, version, member_id, directorate_code, status, crisis_types, national, departements,
                               ack_within_minutes, deploy_within_minutes, starts_on, ends_on, term_days, review_on, tacit_renewal, created_at, updated_at)
       SELECT c.id, c.id, 1, c.member_id, (ARRAY['DGSCGC','DGPN','DGGN'])[1 + c.n % 3], 'ACTIVE', '{NATURAL_DISASTER}', true, '{}',
              (ARRAY[30, 60])[1 + c.n % 2], 240, current_date - 60, current_date + 305, 365, current_date + 200, false, now(), now()
       FROM (SELECT gen_random_uuid() AS id, member_id, (row_number() OVER ())::int AS n FROM unnest($1::uuid[]) AS member_id) c`,
      [members],
    );
    await query(
      `INSERT INTO convention_asset (convention_id, asset_id)
       SELECT c.id, a.id FROM convention c JOIN asset a ON a.member_id = c.member_id WHERE c.member_id = ANY($1::uuid[])`,
      [members],
    );

    // Two ended activations, 60 and 14 days ago, and one in progress, authorized 20 minutes ago.
    const activations = [60 * 24 * 60, 14 * 24 * 60, 20].map((minutesAgo, i) => ({
      id: randomUUID(),
      crisisId: randomUUID(),
      authorizedAt: new Date(now.getTime() - minutesAgo * MINUTE),
      inProgress: i === ACTIVATIONS - 1,
    }));
    for (const activation of activations) {
      activationIds.push(activation.id);
      const opened = new Date(activation.authorizedAt.getTime() - 30 * MINUTE).toISOString();
      const ended = activation.inProgress ? null : new Date(activation.authorizedAt.getTime() + 3 * 24 * 60 * MINUTE).toISOString();
      await query(
        `INSERT INTO crisis (id, title, type, departements, severity, exercise, status, opened_at, opened_by, closed_at, closed_by)
         VALUES ($1, 'Index plans ' || $2, 'NATURAL_DISASTER', '{06}', 3, false, CASE WHEN $5::timestamptz IS NULL THEN 'OPEN' ELSE 'CLOSED' END,
                 $3, $4, $5, CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE $4::uuid END)`,
        [activation.crisisId, tag, opened, operator.id, ended],
      );
      await query(
        `INSERT INTO activation (id, crisis_id, decision_reference, status, prepared_by, prepared_at, authorized_by, authorized_at,
                                 ended_by, ended_at, request_count, updated_at)
         VALUES ($1, $2, 'IDX/' || $3, CASE WHEN $7::timestamptz IS NULL THEN 'IN_PROGRESS' ELSE 'CLOSED' END, $4, $6::timestamptz - interval '10 minutes',
                 $5, $6, CASE WHEN $7::timestamptz IS NULL THEN NULL ELSE $4::uuid END, $7, $8, coalesce($7, $6))`,
        [activation.id, activation.crisisId, tag, operator.id, minister.id, activation.authorizedAt.toISOString(), ended, MEMBERS * ASSETS_PER_MEMBER],
      );
      await query(
        `INSERT INTO activation_requirement (id, activation_id, position, category, quantity, departements, needed_by)
         SELECT gen_random_uuid(), $1, position, code, $3, '{06}', $4::timestamptz + interval '6 hours'
         FROM unnest($2::text[]) WITH ORDINALITY AS c(code, position)`,
        [activation.id, categories, MEMBERS * ASSETS_PER_MEMBER, activation.authorizedAt.toISOString()],
      );
      await insertRequests(activation.id, activation.authorizedAt, activation.inProgress ? IN_PROGRESS_MIX : ENDED_MIX, members);
    }
    await query(`ANALYZE member, contact, asset, convention, convention_asset, activation, activation_requirement, mobilization_request, mobilization_request_step`);

    const current = activations[ACTIVATIONS - 1];
    const [request] = await query(
      `SELECT id, member_id, convention_id FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED' LIMIT 1`,
      [current.id],
    );
    Object.assign(subject, { activationId: current.id, requestId: request.id, memberId: request.member_id, conventionId: request.convention_id });
  }

  /**
   * One request per asset of the members, for the requirement of its category, in one statement;
   * the chains of steps come from the table's own trigger. Times derive from the authorization:
   * delivered seconds after it, answered minutes after the delivery; the escalated ones of the
   * activation in progress were escalated minutes ago and wait on their next deadline, but for
   * those whose next deadline passed seconds ago.
   */
  async function insertRequests(activationId: string, authorizedAt: Date, mix: [string, number][], members: string[]): Promise<void> {
    await query(
      `INSERT INTO mobilization_request (id, activation_id, requirement_id, asset_id, member_id, convention_id, status,
         ack_within_minutes, deploy_within_minutes, ack_deadline, escalation_level, accepted_quantity, decline_reason_code,
         notified_at, acknowledged_at, accepted_at, declined_at, deployed_at, released_at, stood_down_at, last_escalated_at,
         delivery_attempts, delivery_started_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, x.requirement_id, x.asset_id, x.member_id, x.convention_id, s.status,
              x.ack, x.deploy,
              CASE s.kind WHEN 'DUE' THEN $5::timestamptz - make_interval(secs => 1 + x.roll_time * 50)
                          WHEN 'ESCALATED' THEN $5::timestamptz + make_interval(mins => x.ack - 5)
                          ELSE t.started + make_interval(mins => x.ack) END,
              CASE WHEN s.kind IN ('DUE', 'ESCALATED') THEN 1 ELSE 0 END,
              CASE WHEN t.accepted IS NOT NULL THEN x.quantity END,
              CASE WHEN s.status = 'DECLINED' THEN 'NOT_AVAILABLE' END,
              t.notified, t.acknowledged, t.accepted, t.declined, t.deployed, t.released, t.stood_down,
              CASE s.kind WHEN 'DUE' THEN $5::timestamptz - make_interval(mins => x.ack) WHEN 'ESCALATED' THEN $5::timestamptz - interval '5 minutes' END,
              CASE WHEN s.kind = 'UNDELIVERED' THEN 4 ELSE 1 END, t.started, $2,
              greatest($2, t.notified, t.acknowledged, t.accepted, t.declined, t.deployed, t.released, t.stood_down)
       FROM (
         SELECT a.id AS asset_id, a.member_id, a.quantity, r.id AS requirement_id, c.id AS convention_id,
                c.ack_within_minutes AS ack, c.deploy_within_minutes AS deploy, random() AS roll, random() AS roll_time
         FROM asset a
         JOIN convention c ON c.member_id = a.member_id
         JOIN activation_requirement r ON r.activation_id = $1 AND r.category = a.category
         WHERE a.member_id = ANY($6::uuid[])
         OFFSET 0
       ) AS x
       CROSS JOIN LATERAL (SELECT ($3::text[])[width_bucket(x.roll, $4::float8[])] AS kind) AS k
       CROSS JOIN LATERAL (SELECT k.kind,
                                  CASE k.kind WHEN 'UNDELIVERED' THEN 'PENDING' WHEN 'DUE' THEN 'ESCALATED' ELSE k.kind END AS status) AS s
       CROSS JOIN LATERAL (
         SELECT n.started, n.notified, n.acknowledged, n.accepted,
                CASE WHEN s.status = 'DECLINED' THEN n.acknowledged + interval '1 minute' END AS declined,
                CASE WHEN s.status IN ('DEPLOYED', 'RELEASED') THEN n.accepted + interval '2 minutes' END AS deployed,
                CASE WHEN s.status = 'RELEASED' THEN n.accepted + interval '30 hours' END AS released,
                CASE WHEN s.status = 'STOOD_DOWN' THEN least($5::timestamptz - interval '1 minute', $2::timestamptz + interval '3 hours') END AS stood_down
         FROM (SELECT $2::timestamptz + make_interval(secs => 2 + x.roll_time * 40) AS started) AS d
         CROSS JOIN LATERAL (SELECT d.started,
                                    CASE WHEN s.kind <> 'UNDELIVERED' THEN d.started END AS notified,
                                    CASE WHEN s.status IN ('ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'DEPLOYED', 'RELEASED')
                                         THEN d.started + make_interval(secs => 60 + x.roll_time * 420) END AS acknowledged,
                                    CASE WHEN s.status IN ('ACCEPTED', 'DEPLOYED', 'RELEASED')
                                         THEN d.started + make_interval(secs => 540 + x.roll_time * 120) END AS accepted) AS n
       ) AS t`,
      [activationId, authorizedAt.toISOString(), mix.map(([kind]) => kind), mix.map(([, from]) => from), now.toISOString(), members],
    );
  }

  async function plan(sql: string, params: unknown[]): Promise<PlanNode> {
    const [row] = await query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return row['QUERY PLAN'][0].Plan;
  }

  /**
   * The plan a named statement (planned once per connection) may settle on after its first
   * executions: generic, its parameters unknown.
   */
  async function genericPlan(sql: string, parameterCount: number): Promise<PlanNode> {
    const name = `index_plans_${tag}`;
    await query(`PREPARE ${name} AS ${sql}`);
    await query(`SET LOCAL plan_cache_mode = force_generic_plan`);
    try {
      const [row] = await query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${Array(parameterCount).fill('NULL').join(', ')})`);
      return row['QUERY PLAN'][0].Plan;
    } finally {
      await query(`SET LOCAL plan_cache_mode = auto`);
      await query(`DEALLOCATE ${name}`);
    }
  }

  /** The plan's nodes as EXPLAIN's text shows them, each prefixed by the CTE it belongs to. */
  function lines(node: PlanNode, within = ''): string[] {
    const scope = node['Subplan Name'] ?? within;
    const name = `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`;
    const details = [
      node['Index Cond'] && `Index Cond: ${node['Index Cond']}`,
      node['Recheck Cond'] && `Recheck Cond: ${node['Recheck Cond']}`,
      node.Filter && `Filter: ${node.Filter}`,
      node['Conflict Arbiter Indexes'] && `Conflict Arbiter Indexes: ${node['Conflict Arbiter Indexes'].join(', ')}`,
    ].filter(Boolean);
    const own = `${scope ? `[${scope}] ` : ''}${name}${details.length ? ` (${details.join('; ')})` : ''}`;
    return [own, ...(node.Plans ?? []).flatMap((child) => lines(child, scope))];
  }

  /** A node of the plan (of the given CTE) that scans the index, or takes it as the ON CONFLICT arbiter. */
  const uses = (index: string, scope = '') =>
    expect.arrayContaining([expect.stringMatching(new RegExp(`^${scope ? `\\[${scope}\\] ` : ''}.*(using ${index}( |$)|Conflict Arbiter Indexes: .*${index})`))]);

  /**
   * The query's plan uses the index; and without it (dropped in a savepoint, rolled back at once)
   * the planner's best plan costs more: the query needs the index, it does not merely pick it.
   */
  async function expectNeeded(index: string, sql: string, params: unknown[], scope = ''): Promise<void> {
    const withIndex = await plan(sql, params);
    expect(lines(withIndex)).toEqual(uses(index, scope));
    await query(`SAVEPOINT without_index`);
    try {
      await query(`DROP INDEX ${index}`);
      const without = await plan(sql, params);
      expect(lines(without)).not.toEqual(uses(index, scope));
      expect(without['Total Cost']).toBeGreaterThan(withIndex['Total Cost']);
    } finally {
      await query(`ROLLBACK TO SAVEPOINT without_index`);
    }
  }

  it('plans over three activations of 10,000 requests with the mix of states the sweeps look for', async () => {
    const [seeded] = await query(
      `SELECT count(*)::int AS requests, count(DISTINCT member_id)::int AS members,
              count(*) FILTER (WHERE notified_at IS NULL AND status = 'PENDING')::int AS undelivered,
              count(*) FILTER (WHERE status = 'ESCALATED' AND ack_deadline <= $2)::int AS due,
              count(*) FILTER (WHERE status = 'ACCEPTED' AND accepted_at IS NOT NULL)::int AS accepted,
              (SELECT count(*)::int FROM mobilization_request_step s JOIN mobilization_request r ON r.id = s.request_id WHERE r.activation_id = ANY($1::uuid[])) AS steps
       FROM mobilization_request WHERE activation_id = ANY($1::uuid[])`,
      [activationIds, now.toISOString()],
    );
    const total = ACTIVATIONS * MEMBERS * ASSETS_PER_MEMBER;
    expect(seeded).toEqual({
      requests: total, members: MEMBERS, undelivered: expect.any(Number), due: expect.any(Number), accepted: expect.any(Number), steps: 3 * total,
    });
    // A few undelivered and due (tens to hundreds), some accepted: the partial indexes hold a small part of the table.
    expect([seeded.undelivered, seeded.due, seeded.accepted].every((count) => count > 0 && count < total / 10)).toBe(true);
  });

  it('has exactly the indexes listed here, each with its query below', async () => {
    const indexes = await query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'mobilization_request'`);
    expect(indexes.map((row) => row.indexname).sort()).toEqual([...EXPECTED_INDEXES].sort());
  });

  it('mobilization_request_pkey: an acknowledgement finds and updates its request by id (response-statements.ts ACKNOWLEDGE_REQUEST)', async () => {
    const params = [
      subject.requestId, subject.memberId, REQUEST_LIFECYCLE.acknowledge.from, REQUEST_LIFECYCLE.acknowledge.to, now.toISOString(),
      subject.userId, 'MEMBER', eventOfResponse('acknowledge'), PARTICIPATING_MEMBER_STATUSES,
    ];
    // The primary key and the fan-out's arbiter are constraints: not dropped here.
    expect(lines(await plan(ACKNOWLEDGE_REQUEST.text, params))).toEqual(uses('mobilization_request_pkey', 'CTE locked'));
    expect(lines(await genericPlan(ACKNOWLEDGE_REQUEST.text, params.length))).toEqual(uses('mobilization_request_pkey', 'CTE locked'));
  });

  it('mobilization_request_asset_once: the fan-out asks for an asset once per activation, ON CONFLICT on it (activation-commands.ts fanOut)', async () => {
    // fanOut's statement as written there, over the shared CANDIDATES_SQL.
    const fanOut = `INSERT INTO mobilization_request (id, activation_id, requirement_id, asset_id, member_id, convention_id, status,
                                         ack_within_minutes, deploy_within_minutes, ack_deadline, created_at, updated_at)
       SELECT gen_random_uuid(), $1, e.requirement_id, e.asset_id, e.member_id, e.convention_id, 'PENDING',
              e.ack_within_minutes, e.deploy_within_minutes, $3::timestamptz + make_interval(mins => e.ack_within_minutes), $3, $3
       FROM (${CANDIDATES_SQL}) e
       ON CONFLICT (activation_id, asset_id) DO NOTHING
       RETURNING id, requirement_id, asset_id, member_id, convention_id, ack_deadline`;
    expect(lines(await plan(fanOut, candidateParameters(subject.activationId, 'NATURAL_DISASTER', now, 90)))).toEqual(uses('mobilization_request_asset_once'));
  });

  it('mobilization_request_activation_idx: the progress counts an activation\'s requests by status (crisis-queries.ts GetActivationHandler)', async () => {
    await expectNeeded('mobilization_request_activation_idx',
      `SELECT status, count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 GROUP BY status`, [subject.activationId]);
  });

  it('mobilization_request_member_idx: a member lists its requests, GET /mobilizations (crisis-queries.ts ListMobilizationsHandler)', async () => {
    await expectNeeded('mobilization_request_member_idx',
      `SELECT * FROM mobilization_request WHERE member_id = $1 ORDER BY created_at, id LIMIT 20 OFFSET 0`, [subject.memberId]);
    await expectNeeded('mobilization_request_member_idx', `SELECT count(*)::int AS total FROM mobilization_request WHERE member_id = $1`, [subject.memberId]);
  });

  it('mobilization_request_convention_idx: a convention\'s history report (history-reports.ts HistoryReportHandler)', async () => {
    await expectNeeded('mobilization_request_convention_idx',
      `SELECT a.id AS "activationId", c.id AS "crisisId", c.title AS "crisisTitle", c.exercise, a.authorized_at AS "authorizedAt", ${FIGURES}
       FROM mobilization_request q JOIN activation a ON a.id = q.activation_id JOIN crisis c ON c.id = a.crisis_id
       WHERE q.convention_id = $1::uuid GROUP BY a.id, c.id ORDER BY a.authorized_at, a.id`,
      [subject.conventionId, now.toISOString()]);
  });

  it('mobilization_request_requirement_idx: the accept that meets a requirement stands its other open requests down (response-statements.ts ACCEPT_REQUEST)', async () => {
    const at = now.toISOString();
    const params = [
      subject.requestId, subject.memberId, REQUEST_LIFECYCLE.standDown.from, REQUEST_LIFECYCLE.accept.from, null, at, at,
      subject.userId, 'MEMBER', REQUEST_LIFECYCLE.accept.to, REQUEST_LIFECYCLE.standDown.to, ACTIVATION_LIFECYCLE.fulfil.from, ACTIVATION_LIFECYCLE.fulfil.to,
      eventOfResponse('accept'), PARTICIPATING_MEMBER_STATUSES,
    ];
    await expectNeeded('mobilization_request_requirement_idx', ACCEPT_REQUEST.text, params, 'CTE stood');
    expect(lines(await genericPlan(ACCEPT_REQUEST.text, params.length))).toEqual(uses('mobilization_request_requirement_idx', 'CTE stood'));
  });

  it('mobilization_request_ack_deadline_idx: the escalation sweep takes the requests due, earliest first (escalate-due-requests.ts ESCALATE_DUE)', async () => {
    // The `due` part of ESCALATE_DUE as written there (its LIMIT $4 here $3): the rest of the statement works on what it selects.
    await expectNeeded('mobilization_request_ack_deadline_idx',
      `SELECT r.id FROM mobilization_request r
       WHERE r.status = ANY($2::text[]) AND r.ack_deadline <= $1::timestamptz AND r.delivery_started_at IS NOT NULL
       ORDER BY r.ack_deadline
       LIMIT $3
       FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), REQUEST_LIFECYCLE.escalate.from, ESCALATION_BATCH]);
  });

  it('mobilization_request_accepted_idx: the sweep flags accepted requests not deployed in time (notification-sweeper.ts)', async () => {
    await expectNeeded('mobilization_request_accepted_idx',
      `SELECT id FROM mobilization_request
       WHERE status = $2 AND deployment_late_at IS NULL AND accepted_at + make_interval(mins => deploy_within_minutes) <= $1 LIMIT 10000`,
      [now.toISOString(), REQUEST_LIFECYCLE.deploy.from[0]]);
  });

  it('mobilization_request_undelivered_idx: the sweep finds the activations with requests no delivery reached (notification-sweeper.ts)', async () => {
    await expectNeeded('mobilization_request_undelivered_idx',
      `SELECT DISTINCT activation_id FROM mobilization_request WHERE status = ANY($2::text[]) AND notified_at IS NULL AND created_at < $1`,
      [new Date(now.getTime() - MINUTE).toISOString(), AWAITING_ACKNOWLEDGEMENT]);
  });
});
