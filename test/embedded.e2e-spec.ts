import pg from 'pg';
import { EmbeddedPostgres, IN_MEMORY } from '../src/common/database/embedded/embedded-postgres.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder } from './support/crisis.js';
import { droneAsset, memberWithUser } from './support/fixtures.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** No server named: the embedded database, and BullMQ on its PostgreSQL backend inside it. */
const EMBEDDED = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: IN_MEMORY };

describe('Embedded PostgreSQL: one session shared by every connection', () => {
  let database: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await EmbeddedPostgres.open(IN_MEMORY, { waitLimitMs: 2000 });
    pool = new pg.Pool({ ...database.clientOptions(), max: 6 });
    await pool.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (1, 0)');
  });
  afterAll(async () => {
    await pool.end();
    await database.close();
  });

  it('speaks the protocol node-postgres expects: parameters, types, errors, several statements', async () => {
    const { rows } = await pool.query('SELECT $1::int + 1 AS n, 12345678901::bigint AS big, $2::jsonb AS doc, ARRAY[1, 2] AS list, now() AS at', [41, { a: 1 }]);
    expect(rows[0]).toMatchObject({ n: 42, big: '12345678901', doc: { a: 1 }, list: [1, 2] });
    expect(rows[0].at).toBeInstanceOf(Date);
    await expect(pool.query('INSERT INTO counter VALUES (1, 0)')).rejects.toMatchObject({ code: '23505' });
    const results = (await pool.query('SELECT 1 AS a; SELECT 2 AS b')) as unknown as pg.QueryResult[];
    expect(results.map((result) => result.rows[0])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('never lets a statement of one connection run inside another connection\'s transaction', async () => {
    const writer = await pool.connect();
    const reader = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('UPDATE counter SET value = 100 WHERE id = 1');
      // The reader waits for the writer's turn to end, then sees only what was committed.
      const seen = reader.query('SELECT value FROM counter WHERE id = 1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writer.query('ROLLBACK');
      expect((await seen).rows[0].value).toBe(0);
    } finally {
      writer.release();
      reader.release();
    }
  });

  it('keeps 50 concurrent read-modify-write transactions from losing an update', async () => {
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT value FROM counter WHERE id = 1');
          await new Promise((resolve) => setImmediate(resolve));
          await client.query('UPDATE counter SET value = $1 WHERE id = 1', [rows[0].value + 1]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }),
    );
    expect((await pool.query('SELECT value FROM counter WHERE id = 1')).rows[0].value).toBe(50);
  });

  it('rolls back what a connection that went away left open, and gives its turn up', async () => {
    const lost = await pool.connect();
    await lost.query('BEGIN');
    await lost.query('UPDATE counter SET value = -1 WHERE id = 1');
    lost.release(new Error('connection dropped'));
    expect((await pool.query('SELECT value FROM counter WHERE id = 1')).rows[0].value).toBe(50);
  });

  it('delivers notifications to the connection that listens, whoever raised them', async () => {
    const listener = await pool.connect();
    const received: string[] = [];
    listener.on('notification', (message) => received.push(message.payload ?? ''));
    try {
      await listener.query('LISTEN renfort_test');
      await pool.query(`SELECT pg_notify('renfort_test', 'outside')`);
      const client = await pool.connect();
      await client.query('BEGIN');
      await client.query(`NOTIFY renfort_test, 'at commit'`);
      expect(received).toEqual(['outside']);
      await client.query('COMMIT');
      client.release();
      await eventually(async () => received.length === 2);
      expect(received).toEqual(['outside', 'at commit']);
    } finally {
      await listener.query('UNLISTEN renfort_test');
      listener.release();
    }
  });

  it('fails a turn that waits too long with a message, instead of hanging', async () => {
    const holder = await pool.connect();
    await holder.query('BEGIN');
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/embedded database stayed busy for 2000 ms/);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });
});

describe('The service in embedded mode: same migrations, handlers and processors', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let admin: string;
  let { authorize, progress, requestsOf, respond } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { ...EMBEDDED, RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    ({ authorize, progress, requestsOf, respond } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const auditValid = async () => (await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200)).body.valid;

  it('reports its database and its queues on PostgreSQL, with no Redis', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, queues: { status: 'up', backend: 'PostgreSQL (schema bullmq)' } });
    expect(health.body.info.redis).toBeUndefined();
    expect(t.config).toMatchObject({ databaseUrl: null, redisUrl: null });
    // The queue dashboard reads the PostgreSQL-backed queues as it reads Redis ones.
    const dashboard = await t.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    expect(dashboard.body.queues).toHaveLength(5);
  });

  it('runs the core journey: member, asset, convention, activation, webhook, response, report', async () => {
    const category = await isolatedCategory(t);
    const alpha = await responder(t, actors.directorate, receiver, { category });
    const bravo = await responder(t, actors.directorate, receiver, { category });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    expect((await authorize(activationId).expect(200)).body).toMatchObject({ status: 'AUTHORIZED', requestCount: 2 });

    // Outbox relay → domain-events queue → delivery jobs → signed webhooks, all on PostgreSQL.
    await eventually(async () => receiver.to(alpha.path!).length === 1 && receiver.to(bravo.path!).length === 1, 30_000);
    expect(receiver.to(alpha.path!)[0].validSignature).toBe(true);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 2, 30_000);
    const [jobs] = await t.db.query(`SELECT count(*)::int AS n FROM bullmq.job`);
    expect(jobs.n).toBeGreaterThan(0);

    const [alphaRequest] = await requestsOf(alpha.user.token, activationId);
    const [bravoRequest] = await requestsOf(bravo.user.token, activationId);
    await respond(alpha.user.token, alphaRequest.id, 'acknowledge').expect(200);
    await respond(alpha.user.token, alphaRequest.id, 'accept').expect(200);
    await respond(bravo.user.token, bravoRequest.id, 'decline', { reasonCode: 'NOT_AVAILABLE' }).expect(200);
    await t.http.post(`/api/v1/activations/${activationId}/close`).set(bearer(actors.operator.token)).send({ reason: 'Décrue constatée' }).expect(200);

    const report = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(admin)).expect(200);
    expect(report.body).toMatchObject({ activationId, status: 'CLOSED', requestCount: 2, declineReasons: [{ reasonCode: 'NOT_AVAILABLE', count: 1 }] });
    expect(report.body.byMember.map((member: { memberId: string }) => member.memberId).sort()).toEqual([alpha.member.id, bravo.member.id].sort());
    // Accepted, then stood down by the closing well before its deployment was due: not missed.
    expect(report.body.conformance).toMatchObject({ accepted: 1, declined: 1, ackOnTime: 2, deployMissed: 0 });
    const csv = await t.http.get(`/api/v1/activations/${activationId}/report`).set(bearer(admin)).set('accept', 'text/csv').expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(3);
    expect(await auditValid()).toBe(true);
  });

  it('keeps parallel commands consistent: one set of requests, never over-filled, every event chained', async () => {
    const category = await isolatedCategory(t);
    const members = await Promise.all([0, 1, 2].map(() => responder(t, actors.directorate, receiver, { category })));
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 2 }]);
    const ministers = await Promise.all([0, 1, 2].map(() => t.signedInUser('MINISTER')));
    const authorizations = await Promise.all(Array.from({ length: 12 }, (_, i) => authorize(activationId, ministers[i % 3].token)));
    expect(authorizations.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(authorizations.filter((answer) => answer.status === 409)).toHaveLength(11);
    await eventually(async () => (await progress(activationId)).countsByStatus.NOTIFIED === 3, 30_000);

    const requests = await Promise.all(members.map(async (member) => (await requestsOf(member.user.token, activationId))[0]));
    const answers = await Promise.all(members.map((member, i) => respond(member.user.token, requests[i].id, 'accept')));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 409]);
    expect(await progress(activationId)).toMatchObject({ status: 'FULFILLED', countsByStatus: { ACCEPTED: 2, STOOD_DOWN: 1 } });

    // Many writers at once: every declaration lands once, and so does its audit event.
    const owner = await memberWithUser(t);
    const declared = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.http.post('/api/v1/assets').set(bearer(owner.user.token)).send(droneAsset({ category, name: `Drone parallèle ${i}` }))),
    );
    expect(declared.every((answer) => answer.status === 201)).toBe(true);
    const [assets] = await t.db.query(`SELECT count(*)::int AS n FROM asset WHERE member_id = $1`, [owner.member.id]);
    await t.sealEvents();
    const [events] = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE type = 'AssetDeclared' AND aggregate_id = ANY($1::text[])`,
      [declared.map((answer) => answer.body.id)],
    );
    expect(assets.n).toBe(30);
    expect(events.n).toBe(30);
    expect(await auditValid()).toBe(true);
  });
});
