import { JwtService } from '@nestjs/jwt';
import { memberWithUser } from './support/fixtures.js';
import { bearer, TEST_ADMIN, TEST_JWT_SECRET, TestApp } from './support/test-app.js';

describe('Identity: sign-in, users, roles', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('sign-in', () => {
    it('signs in the bootstrap ADMIN created from the configuration', async () => {
      const response = await t.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
      expect(response.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      const me = await t.http.get('/api/v1/users/me').set(bearer(response.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ email: TEST_ADMIN.email, role: 'ADMIN' });
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const wrong = await t.http.post('/api/v1/auth/login').send({ ...TEST_ADMIN, password: 'not the password' }).expect(401);
      const unknown = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@renfort.test', password: 'whatever' }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'AUTH.INVALID_CREDENTIALS', message: 'Invalid email or password' });
    });

    it('accepts the email in any case', async () => {
      await t.http.post('/api/v1/auth/login').send({ ...TEST_ADMIN, email: TEST_ADMIN.email.toUpperCase() }).expect(200);
    });
  });

  describe('tokens', () => {
    it('refuses a private route without a token', async () => {
      const response = await t.http.get('/api/v1/users/me').expect(401);
      expect(response.body.code).toBe('AUTH.TOKEN_MISSING');
    });

    it('refuses a token signed with another key', async () => {
      const forged = await new JwtService({ secret: 'another-secret-of-sufficient-length-000' }).signAsync(
        { sub: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' },
        { issuer: 'renfort', expiresIn: 600 },
      );
      const response = await t.http.get('/api/v1/users').set(bearer(forged)).expect(401);
      expect(response.body.code).toBe('AUTH.TOKEN_INVALID');
    });

    it('refuses an expired token, saying so', async () => {
      const expired = await new JwtService({ secret: TEST_JWT_SECRET }).signAsync(
        { sub: '00000000-0000-4000-8000-000000000000', role: 'ADMIN', exp: Math.floor(Date.now() / 1000) - 60 },
        { issuer: 'renfort' },
      );
      const response = await t.http.get('/api/v1/users').set(bearer(expired)).expect(401);
      expect(response.body.code).toBe('AUTH.TOKEN_EXPIRED');
    });
  });

  describe('creating users', () => {
    it('lets the ADMIN create a user, never returning or recording its password', async () => {
      const response = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'Operator.One@Renfort.Test', password: 'operator password 1', role: 'CRISIS_OPERATOR' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email: 'operator.one@renfort.test',
        role: 'CRISIS_OPERATOR',
        memberId: null,
        directorateCode: null,
        disabled: false,
        createdAt: expect.any(String),
      });
      const events = await t.http.get('/api/v1/audit/events').query({ aggregateId: response.body.id }).set(bearer(admin)).expect(200);
      expect(events.body.items).toHaveLength(1);
      expect(events.body.items[0]).toMatchObject({ type: 'UserCreated', aggregateType: 'User', actorRole: 'ADMIN' });
      expect(JSON.stringify(events.body.items[0].payload)).not.toMatch(/password/i);
      await t.http.post('/api/v1/auth/login').send({ email: 'operator.one@renfort.test', password: 'operator password 1' }).expect(200);
    });

    it.each(['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] as const)('refuses user creation to a %s with 403', async (role) => {
      const user = await t.signedInUser(role);
      const response = await t.http
        .post('/api/v1/users')
        .set(bearer(user.token))
        .send({ email: `x.${role.toLowerCase()}@renfort.test`, password: 'a long enough password', role: 'ADMIN' })
        .expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'AUTH.ROLE_NOT_ALLOWED' });
    });

    it('refuses a MEMBER creating a user', async () => {
      const { user } = await memberWithUser(t);
      await t.http
        .post('/api/v1/users')
        .set(bearer(user.token))
        .send({ email: 'x.member@renfort.test', password: 'a long enough password', role: 'ADMIN' })
        .expect(403);
    });

    it('refuses an unknown field with a 400 naming it', async () => {
      const response = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'field@renfort.test', password: 'a long enough password', role: 'AUDITOR', isSuperUser: true })
        .expect(400);
      expect(response.body.message).toContain('isSuperUser');
      expect(response.body.details).toEqual([{ field: 'isSuperUser', problems: ['property isSuperUser should not exist'] }]);
    });

    it('refuses a bad email with a 400 naming the field', async () => {
      const response = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'not-an-email', password: 'a long enough password', role: 'AUDITOR' })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'REQUEST.VALIDATION_FAILED' });
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['email']);
    });

    it('refuses a short password and an unknown role, naming both', async () => {
      const response = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'short@renfort.test', password: 'short', role: 'GOD' })
        .expect(400);
      expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['password', 'role']);
    });

    it('requires a member for a MEMBER user and a directorate for a DIRECTORATE user', async () => {
      const member = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'm@renfort.test', password: 'a long enough password', role: 'MEMBER' })
        .expect(400);
      expect(member.body.details).toEqual([{ field: 'memberId', problems: ['is required for a MEMBER user'] }]);
      const directorate = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'd@renfort.test', password: 'a long enough password', role: 'DIRECTORATE' })
        .expect(400);
      expect(directorate.body.details[0].field).toBe('directorateCode');
    });

    it('refuses a binding to a member or directorate that does not exist', async () => {
      const member = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'ghost.m@renfort.test', password: 'a long enough password', role: 'MEMBER', memberId: '4f1c1f6e-5c0a-4d55-9a55-0b1f8f1d2a10' })
        .expect(400);
      expect(member.body.details[0].field).toBe('memberId');
      const directorate = await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'ghost.d@renfort.test', password: 'a long enough password', role: 'DIRECTORATE', directorateCode: 'NOPE' })
        .expect(400);
      expect(directorate.body.details[0].field).toBe('directorateCode');
      await t.http
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ email: 'real.d@renfort.test', password: 'a long enough password', role: 'DIRECTORATE', directorateCode: 'DGSCGC' })
        .expect(201);
    });

    it('refuses a second user with the same email, whatever its case, with 409', async () => {
      const body = { email: 'twice@renfort.test', password: 'a long enough password', role: 'AUDITOR' };
      await t.http.post('/api/v1/users').set(bearer(admin)).send(body).expect(201);
      const response = await t.http.post('/api/v1/users').set(bearer(admin)).send({ ...body, email: 'TWICE@renfort.test' }).expect(409);
      expect(response.body.code).toBe('USER.EMAIL_TAKEN');
    });

    it('lists users for the ADMIN only', async () => {
      const list = await t.http.get('/api/v1/users').query({ role: 'ADMIN' }).set(bearer(admin)).expect(200);
      // Other suites may have made ADMINs of their own in the same database: the filter answers every ADMIN, and only them.
      const [{ admins }] = await t.db.query(`SELECT count(*)::int AS admins FROM users WHERE role = 'ADMIN'`);
      expect(list.body).toMatchObject({ total: admins, page: 1, pageSize: 50 });
      expect(list.body.items).toHaveLength(admins);
      expect(list.body.items.every((user: { role: string }) => user.role === 'ADMIN')).toBe(true);
      expect(list.body.items.map((user: { email: string }) => user.email)).toContain(TEST_ADMIN.email);
      expect(list.body.items[0]).not.toHaveProperty('passwordHash');
      const auditor = await t.signedInUser('AUDITOR');
      await t.http.get('/api/v1/users').set(bearer(auditor.token)).expect(403);
      await t.http.get('/api/v1/users').query({ pageSize: 201 }).set(bearer(admin)).expect(400);
    });
  });
});

describe('Identity: sign-in throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { LOGIN_THROTTLE_LIMIT: '3', LOGIN_THROTTLE_TTL_SECONDS: '60' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('throttles repeated attempts on one account with 429, in the single error shape', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await t.http.post('/api/v1/auth/login').send({ email: TEST_ADMIN.email, password: `guess-${attempt}` }).expect(401);
    }
    const response = await t.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(429);
    expect(response.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('still lets another account sign in from the same address', async () => {
    await t.http.post('/api/v1/auth/login').send({ email: 'someone.else@renfort.test', password: 'guess' }).expect(401);
  });
});
