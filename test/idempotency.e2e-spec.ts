import { IdempotencyStore } from '../src/common/idempotency/idempotency.store.js';
import { requestFingerprint } from '../src/common/idempotency/idempotency.interceptor.js';
import { bearer, TestApp } from './support/test-app.js';

describe('Idempotency-Key on commands', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    admin = await t.adminToken();
    adminId = (await t.http.get('/api/v1/users/me').set(bearer(admin)).expect(200)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const newUser = (email: string) => ({ email, password: 'a long enough password', role: 'AUDITOR' });
  const usersWithEmail = async (email: string) => (await t.db.query(`SELECT id FROM users WHERE email = $1`, [email])).length;
  const eventsFor = async (id: string) => (await t.sealEvents(), await t.db.query(`SELECT 1 FROM audit_event WHERE aggregate_id = $1`, [id])).length;

  it('replays the first response for the same key and body, with one effect', async () => {
    const body = newUser('idem.same@renfort.test');
    const first = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-same').send(body).expect(201);
    const again = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-same').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await usersWithEmail(body.email)).toBe(1);
    expect(await eventsFor(first.body.id)).toBe(1);
  });

  it('replays the first answer byte for byte, its fields in their order, a refusal too', async () => {
    const body = newUser('idem.bytes@renfort.test');
    const first = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-bytes').send(body).expect(201);
    const again = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-bytes').send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.text).toBe(first.text);

    const refused = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-bytes-409').send(body).expect(409);
    const refusedAgain = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-bytes-409').send(body).expect(409);
    expect(refusedAgain.text).toBe(refused.text);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const key = 'create-idem-order';
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', key)
      .send({ email: 'idem.order@renfort.test', password: 'a long enough password', role: 'AUDITOR' }).expect(201);
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', key)
      .send({ role: 'AUDITOR', password: 'a long enough password', email: 'idem.order@renfort.test' }).expect(201);
  });

  it('answers 422 when the key is reused with another body, and changes nothing', async () => {
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-other').send(newUser('idem.one@renfort.test')).expect(201);
    const response = await t.http
      .post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-other').send(newUser('idem.two@renfort.test')).expect(422);
    expect(response.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY.KEY_REUSED' });
    expect(await usersWithEmail('idem.two@renfort.test')).toBe(0);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const body = newUser('idem.inflight@renfort.test');
    const claim = await t.get(IdempotencyStore).claim(adminId, 'create-idem-inflight', requestFingerprint('POST', '/api/v1/users', {}, {}, body));
    expect(claim.outcome).toBe('claimed');
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-inflight').send(body).expect(409);
    expect(response.body.code).toBe('IDEMPOTENCY.IN_FLIGHT');
    expect(await usersWithEmail(body.email)).toBe(0);
  });

  it('lets only one of many concurrent identical requests act', async () => {
    const body = newUser('idem.race@renfort.test');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-race').send(body)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(await usersWithEmail(body.email)).toBe(1);
  });

  it('replays a refusal too: a 409 stays the answer for that key', async () => {
    const body = newUser('idem.conflict@renfort.test');
    await t.http.post('/api/v1/users').set(bearer(admin)).send(body).expect(201);
    const first = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-conflict').send(body).expect(409);
    const again = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-conflict').send(body).expect(409);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('scopes keys to the caller: another user may use the same key', async () => {
    const otherAdminEmail = 'idem.admin2@renfort.test';
    await t.http.post('/api/v1/users').set(bearer(admin)).send({ ...newUser(otherAdminEmail), role: 'ADMIN' }).expect(201);
    const other = await t.login(otherAdminEmail, 'a long enough password');
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'shared-key').send(newUser('idem.s1@renfort.test')).expect(201);
    await t.http.post('/api/v1/users').set(bearer(other)).set('idempotency-key', 'shared-key').send(newUser('idem.s2@renfort.test')).expect(201);
  });

  it('forgets a key once it has expired', async () => {
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-expired').send(newUser('idem.e1@renfort.test')).expect(201);
    await t.db.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = 'create-idem-expired'`);
    await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'create-idem-expired').send(newUser('idem.e2@renfort.test')).expect(201);
    expect(await t.get(IdempotencyStore).purgeExpired()).toBeGreaterThanOrEqual(0);
  });

  it('refuses a malformed key with a 400 naming the header', async () => {
    const response = await t.http.post('/api/v1/users').set(bearer(admin)).set('idempotency-key', 'x'.repeat(201)).send(newUser('idem.bad@renfort.test')).expect(400);
    expect(response.body.details[0].field).toBe('Idempotency-Key');
  });
});
