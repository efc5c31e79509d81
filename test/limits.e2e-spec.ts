import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RateLimiter } from '../src/common/throttling/rate-limiter.js';
import { memberWithUser } from './support/fixtures.js';
import { bearer, TestApp } from './support/test-app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-settings.js';

describe('Limits: throttled commands', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', COMMAND_THROTTLE_LIMIT: '5', COMMAND_THROTTLE_TTL_SECONDS: '60' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('throttles commands per token with 429 and Retry-After, leaving reads and other tokens alone', async () => {
    const operator = await t.signedInUser('CRISIS_OPERATOR');
    const open = () => t.http.post('/api/v1/crises').set(bearer(operator.token)).send({ title: 'x', type: 'OTHER', departements: ['75'], severity: 1 });
    for (let i = 0; i < 5; i += 1) await open().expect(201);
    const refused = await open().expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMIT.EXCEEDED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/crises').set(bearer(operator.token)).expect(200);
    const colleague = await t.signedInUser('CRISIS_OPERATOR');
    await t.http.post('/api/v1/crises').set(bearer(colleague.token)).send({ title: 'y', type: 'OTHER', departements: ['75'], severity: 1 }).expect(201);
  });

  it('counts one signed-in user as one bucket, however the Authorization header is spelled', async () => {
    const operator = await t.signedInUser('CRISIS_OPERATOR');
    const spellings = [`Bearer ${operator.token}`, `bearer ${operator.token}`, `BEARER ${operator.token}`, `Bearer    ${operator.token}`, `bEaReR\t${operator.token}`, `BeArEr  ${operator.token}`];
    const statuses: number[] = [];
    for (const authorization of spellings) {
      const response = await t.http.post('/api/v1/crises').set('authorization', authorization).send({ title: 'x', type: 'OTHER', departements: ['75'], severity: 1 });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('keeps counting in Redis after Redis forgot its scripts (a restart)', async () => {
    const limiter = t.get(RateLimiter);
    const key = `probe:${randomUUID()}`;
    await limiter.hit(key, 3, 60);
    await limiter.hit(key, 3, 60);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.script('FLUSH');
      expect(await limiter.hit(key, 3, 60)).toMatchObject({ allowed: true });
      expect(await limiter.hit(key, 3, 60)).toMatchObject({ allowed: false });
      expect(Number(await redis.get(`${t.config.queuePrefix}:rate:${key}`))).toBe(4);
    } finally {
      redis.disconnect();
    }
  });
});

describe('Limits: CORS off by default, request timeouts', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', REQUEST_TIMEOUT_MS: '1000' } });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers no cross-origin request unless origins are configured', async () => {
    const response = await t.http.get('/health').set('origin', 'https://evil.example');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http.options('/api/v1/users').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('cancels a request stuck behind a lock after the request timeout, with a 503 and nothing committed', async () => {
    const { member } = await memberWithUser(t);
    const blocker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM member WHERE id = $1 FOR UPDATE', [member.id]);
      const started = Date.now();
      const response = await t.http.patch(`/api/v1/members/${member.id}`).set(bearer(admin)).send({ charterSignatory: 'Blocked' }).expect(503);
      expect(response.body.code).toBe('DATABASE.TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const after = await t.http.get(`/api/v1/members/${member.id}`).set(bearer(admin)).expect(200);
    expect(after.body.charterSignatory).not.toBe('Blocked');
  });
});

describe('Limits: CORS when configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', CORS_ORIGINS: 'https://cic.interieur.gouv.fr' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows the configured origins only', async () => {
    const allowed = await t.http.get('/health').set('origin', 'https://cic.interieur.gouv.fr');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://cic.interieur.gouv.fr');
    const other = await t.http.get('/health').set('origin', `https://${randomUUID()}.example`);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
