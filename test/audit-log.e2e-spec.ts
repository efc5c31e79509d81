import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AuditLog } from '../src/audit/audit-log.js';
import { chainHash, jsonbText } from '../src/audit/domain/hash-chain.js';
import { CHAINED_TEXT_COLUMNS, type ChainedTextRow, sealPendingEvents, toSealedEvent } from '../src/audit/persistence.js';
import { SYSTEM_ACTOR } from '../src/common/auth/role.js';
import { inPipelinedTransaction } from '../src/common/database/pipelined-transaction.js';
import { bearer, TestApp } from './support/test-app.js';
import { TEST_DATABASE_URL } from './test-settings.js';

/**
 * A superuser session that can step around the append-only trigger, as an intruder with
 * database access would. Each tampering test restores the row it changed.
 */
async function asIntruder<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('Audit log: append-only, hash-chained', () => {
  let t: TestApp;
  let auditor: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    auditor = (await t.signedInUser('AUDITOR')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const verify = async () => (await t.http.get('/api/v1/audit/verify').set(bearer(auditor)).expect(200)).body;
  /** Records one event in its own transaction; answers it as sealed into the chain. */
  const appendOne = async (aggregateId: string, type = 'ProbeRecorded') => {
    const [id] = await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type, payload: { note: 'é, "quoted", 1.5' } }]),
    );
    await t.sealEvents();
    const [row] = await t.db.query(`SELECT sequence FROM audit_event WHERE id = $1`, [id]);
    return [{ id, sequence: Number(row.sequence) }];
  };

  it('records events as pending in the transaction, and seals them after the head, in the order recorded, before anyone reads the log', async () => {
    const aggregateId = randomUUID();
    const before = (await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence;
    const insideTransaction = await t.db.transaction(async (manager) => {
      const ids = await t.get(AuditLog).append(manager, SYSTEM_ACTOR, [
        { aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { step: 1 } },
        { aggregateType: 'Probe', aggregateId, type: 'ProbeClosed', payload: { step: 2 } },
      ]);
      const pending = await manager.query(`SELECT id FROM audit_event_pending WHERE id = ANY($1::uuid[]) ORDER BY arrival`, [ids]);
      const sealedMeanwhile = await manager.query(`SELECT 1 FROM audit_event WHERE id = ANY($1::uuid[])`, [ids]);
      return { ids, pending: pending.map((row: { id: string }) => row.id), sealedMeanwhile: sealedMeanwhile.length };
    });
    expect(insideTransaction).toMatchObject({ pending: insideTransaction.ids, sealedMeanwhile: 0 });
    // Reading the head seals what was committed before.
    expect((await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence).toBe(before + 2);
    expect(await t.db.query(`SELECT 1 FROM audit_event_pending WHERE id = ANY($1::uuid[])`, [insideTransaction.ids])).toHaveLength(0);
    const sealed = await t.db.query(`SELECT id, sequence, type FROM audit_event WHERE aggregate_id = $1 ORDER BY sequence`, [aggregateId]);
    expect(sealed.map((row: { id: string; sequence: string; type: string }) => [row.id, Number(row.sequence), row.type])).toEqual([
      [insideTransaction.ids[0], before + 1, 'ProbeRecorded'],
      [insideTransaction.ids[1], before + 2, 'ProbeClosed'],
    ]);
    expect((await verify()).valid).toBe(true);
  });

  it('lists, verifies and relays only sealed events, sealing first what was committed', async () => {
    const aggregateId = randomUUID();
    await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: {} }]),
    );
    const listed = await t.http.get('/api/v1/audit/events').query({ aggregateId }).set(bearer(auditor)).expect(200);
    expect(listed.body.total).toBe(1);
    await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeClosed', payload: {} }]),
    );
    const verified = await verify();
    const [{ sequence }] = await t.db.query(`SELECT sequence FROM audit_event WHERE aggregate_id = $1 AND type = 'ProbeClosed'`, [aggregateId]);
    expect(verified).toMatchObject({ valid: true, headSequence: Number(sequence) });
  });

  it('seals payloads as jsonb prints them, which jsonbText writes alike', async () => {
    const payload = { zz: [1, 2.5, -3, null, true], a: { 'é': 'accentué', b: 'line\nbreak\t"quoted" \\ \u0001' }, ab: 0, 'clé longue': {} };
    const [id] = await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId: randomUUID(), type: 'ProbeRecorded', payload }]),
    );
    await t.sealEvents();
    const [row] = await t.db.query(`SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event WHERE id = $1`, [id]);
    expect(row.payload).toBe(jsonbText(payload));
    const event = toSealedEvent(row as ChainedTextRow);
    expect(chainHash(event.prevHash, event)).toBe(event.hash);
  });

  it('keeps one unbroken, gapless chain when many transactions append at once', async () => {
    const aggregateId = randomUUID();
    const before = (await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction(async (manager) => {
          await manager.query('SELECT pg_sleep(0.005)');
          return t.get(AuditLog).append(manager, SYSTEM_ACTOR, [
            { aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { i, part: 1 } },
            { aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { i, part: 2 } },
          ]);
        }),
      ),
    );
    await t.sealEvents();
    const sealed: { sequence: string; payload: { i: number; part: number } }[] = await t.db.query(
      `SELECT sequence, payload FROM audit_event WHERE aggregate_id = $1 ORDER BY sequence`,
      [aggregateId],
    );
    const sequences = sealed.map((row) => Number(row.sequence));
    expect(sequences).toEqual(Array.from({ length: 40 }, (_, n) => before + 1 + n));
    // Each transaction's events in the order it recorded them.
    for (let i = 0; i < 20; i += 1) {
      const parts = sealed.filter((row) => row.payload.i === i).map((row) => row.payload.part);
      expect(parts).toEqual([1, 2]);
    }
    const result = await verify();
    expect(result).toMatchObject({ valid: true, headSequence: before + 40 });
    expect(result.checked).toBe(before + 40);
  });

  it('seals every event exactly once, in the order of its transaction, while sealers race the writers and each other', async () => {
    const aggregateId = randomUUID();
    const before = (await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence;
    let writing = true;
    const sealers = Array.from({ length: 3 }, async () => {
      let sealed = 0;
      while (writing) sealed += await sealPendingEvents(t.db);
      return sealed;
    });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.db.transaction((manager) =>
          t.get(AuditLog).append(manager, SYSTEM_ACTOR, [
            { aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { i, part: 1 } },
            { aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { i, part: 2 } },
          ]),
        ),
      ),
    );
    writing = false;
    const sealedByRacers = (await Promise.all(sealers)).reduce((sum, n) => sum + n, 0);
    await t.sealEvents();
    const sealed: { sequence: string; payload: { i: number; part: number } }[] = await t.db.query(
      `SELECT sequence, payload FROM audit_event WHERE aggregate_id = $1 ORDER BY sequence`,
      [aggregateId],
    );
    expect(sealed).toHaveLength(60);
    expect(sealedByRacers).toBeGreaterThan(0);
    for (let i = 0; i < 30; i += 1) expect(sealed.filter((row) => row.payload.i === i).map((row) => row.payload.part)).toEqual([1, 2]);
    expect(await t.db.query(`SELECT 1 FROM audit_event_pending WHERE aggregate_id = $1`, [aggregateId])).toHaveLength(0);
    const result = await verify();
    expect(result).toMatchObject({ valid: true });
    expect(result.headSequence).toBeGreaterThanOrEqual(before + 60);
  });

  it('records nothing when the transaction of the state change rolls back', async () => {
    const aggregateId = randomUUID();
    await expect(
      t.db.transaction(async (manager) => {
        await t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: {} }]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await t.db.query(`SELECT 1 FROM audit_event_pending WHERE aggregate_id = $1`, [aggregateId])).toHaveLength(0);
    expect((await verify()).valid).toBe(true);
    expect(await t.db.query(`SELECT 1 FROM audit_event WHERE aggregate_id = $1`, [aggregateId])).toHaveLength(0);
  });

  it('leaves nothing of a pipelined transaction whose last message fails, events included', async () => {
    const aggregateId = randomUUID();
    const before = (await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence;
    await expect(
      inPipelinedTransaction(t.db, async (tx) => {
        await tx.begin([[`SELECT 1`]]);
        await tx.commit([
          t.get(AuditLog).appendStatement(SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { quote: "l'équipe" } }]).statement,
          [`SELECT 1 / $1::int`, [0]],
        ]);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await t.db.query(`SELECT 1 FROM audit_event_pending WHERE aggregate_id = $1`, [aggregateId])).toHaveLength(0);
    expect(await t.db.query(`SELECT 1 FROM audit_event WHERE aggregate_id = $1`, [aggregateId])).toHaveLength(0);
    expect((await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body.sequence).toBe(before);

    const ids = await inPipelinedTransaction(t.db, async (tx) => {
      await tx.begin([]);
      const { ids: recorded, statement } = t.get(AuditLog).appendStatement(SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: { quote: "l'équipe" } }]);
      await tx.commit([statement]);
      return recorded;
    });
    await t.sealEvents();
    const [row] = await t.db.query(`SELECT sequence, payload FROM audit_event WHERE id = $1`, [ids[0]]);
    expect({ sequence: Number(row.sequence), payload: row.payload }).toEqual({ sequence: before + 1, payload: { quote: "l'équipe" } });
    expect((await verify()).valid).toBe(true);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(
      t.get(AuditLog).append(t.db.manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId: 'x', type: 'ProbeRecorded', payload: {} }]),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application', async () => {
    const [event] = await appendOne(randomUUID());
    await expect(t.db.query(`UPDATE audit_event SET payload = '{}' WHERE sequence = $1`, [event.sequence])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_event WHERE sequence = $1`, [event.sequence])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('tells in /health how many events wait to be sealed, and for how long', async () => {
    await t.sealEvents();
    await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId: randomUUID(), type: 'ProbeRecorded', payload: {} }]),
    );
    const waiting = (await t.http.get('/health').expect(200)).body.info.auditChain;
    expect(waiting).toMatchObject({ status: 'up', pendingEvents: 1 });
    expect(waiting.oldestPendingSeconds).toBeGreaterThanOrEqual(0);
    await t.sealEvents();
    expect((await t.http.get('/health').expect(200)).body.info.auditChain).toMatchObject({ status: 'up', pendingEvents: 0, oldestPendingSeconds: 0 });
  });

  it('refuses to change or remove an event waiting to be sealed, other than by sealing it', async () => {
    const aggregateId = randomUUID();
    const [id] = await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId, type: 'ProbeRecorded', payload: {} }]),
    );
    await expect(t.db.query(`UPDATE audit_event_pending SET payload = '{}' WHERE id = $1`, [id])).rejects.toThrow(/wait to be sealed/);
    await expect(t.db.query(`DELETE FROM audit_event_pending WHERE id = $1`, [id])).rejects.toThrow(/wait to be sealed/);
    await expect(t.db.query(`TRUNCATE audit_event_pending`)).rejects.toThrow(/wait to be sealed/);
    expect(await t.db.query(`SELECT 1 FROM audit_event_pending WHERE id = $1`, [id])).toHaveLength(1);
    await t.sealEvents();
    expect(await t.db.query(`SELECT 1 FROM audit_event WHERE id = $1`, [id])).toHaveLength(1);
  });

  it('reports a tampered row at its own sequence', async () => {
    const [target] = await appendOne(randomUUID());
    await appendOne(randomUUID());
    const original = await asIntruder(async (db) => {
      const { rows } = await db.query(`SELECT payload FROM audit_event WHERE sequence = $1`, [target.sequence]);
      await db.query(`UPDATE audit_event SET payload = '{"note":"rewritten"}' WHERE sequence = $1`, [target.sequence]);
      return rows[0].payload;
    });
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBrokenSequence: target.sequence, reason: 'HASH_MISMATCH' });
    } finally {
      await asIntruder((db) => db.query(`UPDATE audit_event SET payload = $2 WHERE sequence = $1`, [target.sequence, original]));
    }
    expect((await verify()).valid).toBe(true);
  });

  it('reports a deleted row at the missing sequence', async () => {
    const [target] = await appendOne(randomUUID());
    await appendOne(randomUUID());
    const removed = await asIntruder(async (db) => {
      const { rows } = await db.query(`DELETE FROM audit_event WHERE sequence = $1 RETURNING *`, [target.sequence]);
      return rows[0];
    });
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBrokenSequence: target.sequence, reason: 'MISSING' });
    } finally {
      await asIntruder((db) =>
        db.query(
          `INSERT INTO audit_event (sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [removed.sequence, removed.id, removed.occurred_at, removed.actor_id, removed.actor_role, removed.aggregate_type,
            removed.aggregate_id, removed.type, removed.payload, removed.prev_hash, removed.hash],
        ),
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('reports a row rewritten and re-sealed by an intruder at the next link', async () => {
    const [target] = await appendOne(randomUUID());
    const [next] = await appendOne(randomUUID());
    const original = await asIntruder(async (db) => {
      const { rows } = await db.query(`SELECT * FROM audit_event WHERE sequence = $1`, [target.sequence]);
      const row = rows[0];
      const payload = { note: 'rewritten by an intruder' };
      const { rows: [texts] } = await db.query(`SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event WHERE sequence = $1`, [target.sequence]);
      const resealed = chainHash(row.prev_hash, { ...toSealedEvent(texts as ChainedTextRow), payload: jsonbText(payload) });
      await db.query(`UPDATE audit_event SET payload = $2, hash = $3 WHERE sequence = $1`, [target.sequence, payload, resealed]);
      return row;
    });
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBrokenSequence: next.sequence, reason: 'PREVIOUS_HASH_MISMATCH' });
    } finally {
      await asIntruder((db) =>
        db.query(`UPDATE audit_event SET payload = $2, hash = $3 WHERE sequence = $1`, [target.sequence, original.payload, original.hash]),
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('reports a forged event inserted at the end at its sequence', async () => {
    const [last] = await appendOne(randomUUID());
    const forged = last.sequence + 1;
    await asIntruder((db) =>
      db.query(
        `INSERT INTO audit_event (sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash)
         SELECT $1, gen_random_uuid(), now(), NULL, 'ADMIN', 'Member', 'x', 'MemberVetted', '{}', hash, repeat('b', 64)
         FROM audit_event WHERE sequence = $2`,
        [forged, last.sequence],
      ),
    );
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBrokenSequence: forged, reason: 'HASH_MISMATCH' });
    } finally {
      await asIntruder((db) => db.query(`DELETE FROM audit_event WHERE sequence = $1`, [forged]));
    }
    expect((await verify()).valid).toBe(true);
  });

  it('lists events with filters and paging, for AUDITOR and ADMIN only', async () => {
    const aggregateId = randomUUID();
    for (let i = 0; i < 3; i += 1) await appendOne(aggregateId, i === 2 ? 'ProbeClosed' : 'ProbeRecorded');
    const page = await t.http.get('/api/v1/audit/events').query({ aggregateId, pageSize: 2 }).set(bearer(auditor)).expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items.map((e: { type: string }) => e.type)).toEqual(['ProbeRecorded', 'ProbeRecorded']);
    const typed = await t.http.get('/api/v1/audit/events').query({ aggregateId, type: 'ProbeClosed' }).set(bearer(auditor)).expect(200);
    expect(typed.body.total).toBe(1);
    const latest = await t.http.get('/api/v1/audit/events').query({ aggregateId, order: 'desc', pageSize: 1 }).set(bearer(auditor)).expect(200);
    expect(latest.body.items[0].type).toBe('ProbeClosed');
    await t.http.get('/api/v1/audit/events').query({ from: 'yesterday' }).set(bearer(auditor)).expect(400);
    const operator = await t.signedInUser('CRISIS_OPERATOR');
    await t.http.get('/api/v1/audit/events').set(bearer(operator.token)).expect(403);
    await t.http.get('/api/v1/audit/verify').set(bearer(operator.token)).expect(403);
    await t.http.get('/api/v1/audit/verify').set(bearer(await t.adminToken())).expect(200);
  });

  it('gives the head sequence and hash that the chain ends with', async () => {
    const [event] = await appendOne(randomUUID());
    const head = (await t.http.get('/api/v1/audit/head').set(bearer(auditor)).expect(200)).body;
    const stored = await t.http.get('/api/v1/audit/events').query({ fromSequence: head.sequence, pageSize: 1 }).set(bearer(auditor)).expect(200);
    expect(head.sequence).toBeGreaterThanOrEqual(event.sequence);
    expect(stored.body.items[0].hash).toBe(head.hash);
  });
});
