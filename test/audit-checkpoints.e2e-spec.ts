import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Response } from 'superagent';
import { AuditLog } from '../src/audit/audit-log.js';
import { chainHash } from '../src/audit/domain/hash-chain.js';
import { CHAINED_TEXT_COLUMNS, type ChainedTextRow, toSealedEvent } from '../src/audit/persistence.js';
import { SYSTEM_ACTOR } from '../src/common/auth/role.js';
import { bearer, TestApp } from './support/test-app.js';
import { TEST_DATABASE_URL } from './test-settings.js';

/** The database owner's own session, as an intruder with the database's keys would have it. */
async function asOwner<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Steps around the append-only trigger the way an owner can: off, change, on, in one transaction. */
function tamper<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return asOwner(async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
      const result = await work(client);
      await client.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

/** Reads an answer's body as text, whatever its content type (NDJSON here). */
function asText(res: Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
}

const EVENT_COLUMNS = 'sequence, id, occurred_at, actor_id, actor_role, aggregate_type, aggregate_id, type, payload, prev_hash, hash';

/** Puts rows back exactly as they were read (`*, occurred_at::text AS occurred_text`: microseconds kept), every trigger off. */
function restore(rows: Record<string, unknown>[]): Promise<void> {
  return asOwner(async (client) => {
    await client.query(`SET session_replication_role = replica`);
    for (const row of rows) {
      await client.query(
        `INSERT INTO audit_event (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (sequence) DO UPDATE SET payload = EXCLUDED.payload, prev_hash = EXCLUDED.prev_hash, hash = EXCLUDED.hash`,
        EVENT_COLUMNS.split(', ').map((column) =>
          column === 'payload' ? JSON.stringify(row.payload) : column === 'occurred_at' ? row.occurred_text : row[column]),
      );
    }
  });
}

describe('Audit checkpoints: signed heads that an outsider can check', () => {
  let t: TestApp;
  let auditor: string;
  let dir: string;
  let checkpointFile: string;
  let publicKeyFile: string;

  beforeAll(async () => {
    // The offline verifier runs compiled, as an auditor runs it.
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    dir = mkdtempSync(path.join(tmpdir(), 'renfort-checkpoints-'));
    const keyFile = path.join(dir, 'signing-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    checkpointFile = path.join(dir, 'checkpoints.ndjson');
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', AUDIT_SIGNING_KEY_FILE: keyFile, AUDIT_CHECKPOINT_FILE: checkpointFile } });
    auditor = (await t.signedInUser('AUDITOR')).token;
    const key = await t.http.get('/api/v1/audit/checkpoints/key').set(bearer(auditor)).expect(200);
    publicKeyFile = path.join(dir, 'public.pem');
    writeFileSync(publicKeyFile, key.body.publicKeyPem);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Records events, each in its own transaction; answers their sequences. */
  const appendEvents = async (count: number): Promise<number[]> => {
    const ids: string[] = [];
    for (let n = 0; n < count; n += 1) {
      ids.push(...(await t.db.transaction((manager) =>
        t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId: randomUUID(), type: 'ProbeRecorded', payload: { n, note: 'é "quoted"' } }]),
      )));
    }
    await t.sealEvents();
    const rows = await t.db.query(`SELECT sequence FROM audit_event WHERE id = ANY($1::uuid[]) ORDER BY sequence`, [ids]);
    return rows.map((row: { sequence: string }) => Number(row.sequence));
  };
  const checkpoint = async () => (await t.http.post('/api/v1/audit/checkpoints').set(bearer(auditor)).expect(200)).body;
  const verify = async () => (await t.http.get('/api/v1/audit/verify').set(bearer(auditor)).expect(200)).body;
  /** GET /audit/export, saved to a file. */
  const exportLog = async (): Promise<string> => {
    const response = await t.http
      .get('/api/v1/audit/export')
      .set(bearer(auditor))
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const file = path.join(dir, `export-${randomUUID()}.ndjson`);
    writeFileSync(file, response.body as string);
    return file;
  };
  const offline = (exportFile: string, checkpoints: string, ...extra: string[]) => {
    const run = spawnSync(process.execPath, ['dist/scripts/audit-verify.js', exportFile, checkpoints, '--key', publicKeyFile, ...extra], { encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };

  it('signs the head once, lists it, writes it to the file, and an untouched log verifies online and offline', async () => {
    const [, , last] = await appendEvents(3);
    const made = await checkpoint();
    expect(made).toMatchObject({ created: true, checkpoint: { sequence: last } });
    const key = (await t.http.get('/api/v1/audit/checkpoints/key').set(bearer(auditor)).expect(200)).body;
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: made.checkpoint.keyId, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
    // The head has not moved: nothing new is signed.
    expect(await checkpoint()).toEqual({ created: false, checkpoint: made.checkpoint });

    const listed = (await t.http.get('/api/v1/audit/checkpoints').query({ pageSize: 1 }).set(bearer(auditor)).expect(200)).body;
    expect(listed).toMatchObject({ page: 1, pageSize: 1, items: [made.checkpoint] });
    expect(readFileSync(checkpointFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))).toContainEqual(made.checkpoint);

    expect(await verify()).toMatchObject({ valid: true, headSequence: last, checkpoints: { latest: made.checkpoint } });
    const result = offline(await exportLog(), checkpointFile);
    expect(result.output).toContain(`OK: ${last} events`);
    expect(result.status).toBe(0);
    // The page of GET /audit/checkpoints serves as the checkpoints file too.
    const page = path.join(dir, 'page.json');
    writeFileSync(page, JSON.stringify(listed));
    expect(offline(await exportLog(), page).status).toBe(0);
  });

  it('detects the last events deleted by the database owner, even with the checkpoint row deleted too', async () => {
    const [, , third, fourth] = await appendEvents(4);
    const signed = (await checkpoint()).checkpoint;
    expect(signed.sequence).toBe(fourth);
    const removed = await tamper(async (db) => (await db.query(`DELETE FROM audit_event WHERE sequence >= $1 RETURNING *, occurred_at::text AS occurred_text`, [third])).rows);
    try {
      expect(await verify()).toMatchObject({
        valid: false,
        reason: 'TRUNCATED',
        firstBrokenSequence: third,
        contradictedCheckpoint: { sequence: fourth, signedAt: signed.signedAt, firstBadSequence: third, source: 'database and file' },
      });
      // The signer refuses to vouch for what is left.
      const refused = await t.http.post('/api/v1/audit/checkpoints').set(bearer(auditor)).expect(409);
      expect(refused.body.code).toBe('AUDIT.CHAIN_BROKEN');

      const exported = await exportLog();
      const result = offline(exported, checkpointFile);
      expect(result.status).toBe(1);
      expect(result.output).toContain(`FAILED: sequence ${third}: TRUNCATED`);
      expect(result.output).toContain(`checkpoint at sequence ${fourth} signed ${signed.signedAt}`);

      // Deleting the checkpoints too leaves the file outside the database to contradict the log.
      await asOwner((db) => db.query(`DELETE FROM audit_checkpoint WHERE sequence >= $1`, [third]));
      expect(await verify()).toMatchObject({ valid: false, reason: 'TRUNCATED', contradictedCheckpoint: { sequence: fourth, source: 'file' } });
    } finally {
      await restore(removed);
      await asOwner((db) =>
        db.query(`INSERT INTO audit_checkpoint (sequence, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [signed.sequence, signed.hash, signed.signedAt, signed.keyId, signed.signature]),
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('detects an event rewritten with every following hash recomputed, from the first event the last matching checkpoint did not cover', async () => {
    const [before] = await appendEvents(1);
    expect((await checkpoint()).checkpoint.sequence).toBe(before);
    const [target, , last] = await appendEvents(3);
    const signed = (await checkpoint()).checkpoint;
    expect(signed.sequence).toBe(last);
    // The chain is re-hashed from the rewritten event on, with the project's own rule: it holds.
    const originals = await tamper(async (db) => {
      const { rows } = await db.query(`SELECT *, occurred_at::text AS occurred_text FROM audit_event WHERE sequence >= $1 ORDER BY sequence`, [target]);
      await db.query(`UPDATE audit_event SET payload = $2 WHERE sequence = $1`, [target, { n: 0, note: 'rewritten by the owner' }]);
      const { rows: texts } = await db.query(`SELECT ${CHAINED_TEXT_COLUMNS} FROM audit_event WHERE sequence >= $1 ORDER BY sequence`, [target]);
      let prevHash = rows[0].prev_hash as string;
      for (const text of texts as ChainedTextRow[]) {
        const hash = chainHash(prevHash, toSealedEvent(text));
        await db.query(`UPDATE audit_event SET prev_hash = $2, hash = $3 WHERE sequence = $1`, [text.sequence, prevHash, hash]);
        prevHash = hash;
      }
      return rows;
    });
    try {
      expect(await verify()).toMatchObject({
        valid: false,
        reason: 'REWRITTEN',
        firstBrokenSequence: target,
        checked: expect.any(Number),
        contradictedCheckpoint: { sequence: last, signedAt: signed.signedAt, hash: signed.hash, firstBadSequence: target },
      });
      expect((await t.http.post('/api/v1/audit/checkpoints').set(bearer(auditor)).expect(409)).body.code).toBe('AUDIT.CHAIN_BROKEN');
      const result = offline(await exportLog(), checkpointFile);
      expect(result.status).toBe(1);
      expect(result.output).toContain(`FAILED: sequence ${target}: REWRITTEN`);
      expect(result.output).toContain(`checkpoint at sequence ${last}`);
    } finally {
      await restore(originals);
    }
    expect((await verify()).valid).toBe(true);
  });

  it('refuses a checkpoint whose signature was forged, offline and online', async () => {
    await appendEvents(1);
    const signed = (await checkpoint()).checkpoint;
    const exported = await exportLog();
    const forged = path.join(dir, 'forged.ndjson');
    const otherHash = 'f'.repeat(64);
    writeFileSync(forged, `${readFileSync(checkpointFile, 'utf8')}${JSON.stringify({ ...signed, hash: otherHash })}\n`);
    const result = offline(exported, forged);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`checkpoint at sequence ${signed.sequence}`);
    expect(result.output).toMatch(/signature is not key \w+'s/);
    // Without the key nothing is trusted blindly: the verifier says so.
    expect(spawnSync(process.execPath, ['dist/scripts/audit-verify.js', exported, checkpointFile], { encoding: 'utf8' }).stdout).toContain('signatures NOT checked');

    await asOwner((db) =>
      db.query(`INSERT INTO audit_checkpoint (sequence, hash, signed_at, key_id, signature) VALUES (1, $1, now(), $2, $3)`, [otherHash, signed.keyId, signed.signature]),
    );
    try {
      expect(await verify()).toMatchObject({ valid: false, reason: 'CHECKPOINT_SIGNATURE_INVALID', contradictedCheckpoint: { sequence: 1, hash: otherHash } });
    } finally {
      await asOwner((db) => db.query(`DELETE FROM audit_checkpoint WHERE sequence = 1 AND key_id = $1`, [signed.keyId]));
    }
    expect((await verify()).valid).toBe(true);
  });

  it('answers 400 naming the problem for a bad page, and the verifier names what it cannot read', async () => {
    const response = await t.http.get('/api/v1/audit/checkpoints').query({ pageSize: 0 }).set(bearer(auditor)).expect(400);
    expect(response.body.message).toMatch(/pageSize/);
    const missing = offline(path.join(dir, 'no-such-export.ndjson'), checkpointFile);
    expect(missing.status).toBe(2);
    expect(missing.output).toContain('no-such-export.ndjson');
  });
});

describe('Audit checkpoints on the embedded database', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'renfort-embedded-checkpoints-'));
    // No key given: outside production one is generated beside the embedded data directory.
    t = await TestApp.start({ env: { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: path.join(dir, 'pgdata'), AUDIT_SIGNING_KEY_FILE: '' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates its signing key beside the data directory, signs, exports and verifies', async () => {
    const admin = await t.adminToken();
    expect(readFileSync(path.join(dir, 'audit-signing-key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    // The workers (in this process, on the embedded database) may have signed the head already.
    const made = (await t.http.post('/api/v1/audit/checkpoints').set(bearer(admin)).expect(200)).body;
    const head = (await t.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200)).body;
    expect(made).toMatchObject({ created: expect.any(Boolean), checkpoint: { sequence: head.sequence, hash: head.hash } });
    const exported = await t.http.get('/api/v1/audit/export').set(bearer(admin)).buffer(true).parse(asText).expect(200);
    const lines = (exported.body as string).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ sequence: made.checkpoint.sequence, hash: made.checkpoint.hash });
    expect(await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200).then((r) => r.body))
      .toMatchObject({ valid: true, checkpoints: { latest: made.checkpoint } });
  });
});
