import { memberWithUser } from './support/fixtures.js';
import { bearer, TEST_ADMIN, TestApp } from './support/test-app.js';

const PASSWORD = 'a long enough password';

describe('Accounts: disabled, reassigned, signed out, their tokens ended at once', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http.get('/api/v1/users/me').set(bearer(token));
  const eventsOf = async (id: string) =>
    (await t.http.get('/api/v1/audit/events').query({ aggregateId: id }).set(bearer(admin)).expect(200)).body.items.map((e: { type: string }) => e.type);

  it('refuses a disabled user its very next request and its sign-in; enabling restores sign-in, not the old token', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    await me(user.token).expect(200);

    const disabled = await t.http.post(`/api/v1/users/${user.id}/disable`).set(bearer(admin)).expect(200);
    expect(disabled.body).toMatchObject({ id: user.id, disabled: true });
    expect((await me(user.token).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
    // The early body check refuses it too, before the body is read.
    expect((await t.http.post('/api/v1/crises').set(bearer(user.token)).send({}).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
    const signIn = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    expect(signIn.body.code).toBe('AUTH.ACCOUNT_DISABLED');

    await t.http.post(`/api/v1/users/${user.id}/enable`).set(bearer(admin)).expect(200);
    await me(user.token).expect(401);
    await me(await t.login(user.email, PASSWORD)).expect(200);
    expect(await eventsOf(user.id)).toEqual(expect.arrayContaining(['UserDisabled', 'UserEnabled']));
  });

  it('refuses the old token after a role change; the new token carries the new role and binding', async () => {
    const user = await t.signedInUser('AUDITOR');
    await t.http.get('/api/v1/audit/head').set(bearer(user.token)).expect(200);

    const changed = await t.http
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(admin))
      .send({ role: 'DIRECTORATE', directorateCode: 'DGSCGC' })
      .expect(200);
    expect(changed.body).toMatchObject({ role: 'DIRECTORATE', directorateCode: 'DGSCGC', memberId: null });
    expect((await t.http.get('/api/v1/audit/head').set(bearer(user.token)).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
    const fresh = await t.login(user.email, PASSWORD);
    expect((await me(fresh).expect(200)).body).toMatchObject({ role: 'DIRECTORATE', directorateCode: 'DGSCGC' });
    await t.http.get('/api/v1/audit/head').set(bearer(fresh)).expect(403);
    expect(await eventsOf(user.id)).toContain('UserReassigned');
  });

  it('validates a new role and binding like user creation', async () => {
    const user = await t.signedInUser('AUDITOR');
    const unbound = await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin)).send({ role: 'MEMBER' }).expect(400);
    expect(unbound.body.details).toEqual([{ field: 'memberId', problems: ['is required for a MEMBER user'] }]);
    const ghost = await t.http
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(admin))
      .send({ role: 'MEMBER', memberId: '4f1c1f6e-5c0a-4d55-9a55-0b1f8f1d2a10' })
      .expect(400);
    expect(ghost.body.details[0].field).toBe('memberId');
    await me(user.token).expect(200);
  });

  it('ends the token on logout', async () => {
    const user = await t.signedInUser('MINISTER');
    await me(user.token).expect(200);
    await t.http.post('/api/v1/auth/logout').set(bearer(user.token)).expect(204);
    expect((await me(user.token).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
    expect(await eventsOf(user.id)).toContain('UserLoggedOut');
  });

  it('changes the password: older tokens and the old password are refused, the new password signs in', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const other = await t.login(user.email, PASSWORD);
    const wrong = await t.http
      .post('/api/v1/users/me/password')
      .set(bearer(user.token))
      .send({ currentPassword: 'not my password', newPassword: 'tempete-alex-vesubie-2027' })
      .expect(400);
    expect(wrong.body.code).toBe('USER.WRONG_PASSWORD');

    await t.http
      .post('/api/v1/users/me/password')
      .set(bearer(user.token))
      .send({ currentPassword: PASSWORD, newPassword: 'tempete-alex-vesubie-2027' })
      .expect(204);
    await me(user.token).expect(401);
    await me(other).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    await me(await t.login(user.email, 'tempete-alex-vesubie-2027')).expect(200);
    const events = await eventsOf(user.id);
    expect(events).toContain('UserPasswordChanged');
  });

  it('refuses the users of a withdrawn member, token and sign-in alike', async () => {
    const { member, user } = await memberWithUser(t);
    await me(user.token).expect(200);
    await t.http.post(`/api/v1/members/${member.id}/withdraw`).set(bearer(admin)).send({ reason: 'Retrait de la charte' }).expect(200);
    expect((await me(user.token).expect(401)).body.code).toBe('AUTH.ACCOUNT_DISABLED');
    const signIn = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    expect(signIn.body.code).toBe('AUTH.ACCOUNT_DISABLED');
  });

  it('refuses an ADMIN disabling itself, and taking away the last enabled ADMIN', async () => {
    const self = (await me(admin).expect(200)).body.id;
    expect((await t.http.post(`/api/v1/users/${self}/disable`).set(bearer(admin)).expect(409)).body.code).toBe('USER.CANNOT_DISABLE_SELF');

    // Every other ADMIN of the database (other suites make some) disabled, so that the bootstrap ADMIN is the last.
    const second = await t.signedInUser('ADMIN');
    const others: { id: string }[] = await t.db.query(
      `UPDATE users SET disabled_at = now() WHERE role = 'ADMIN' AND disabled_at IS NULL AND id NOT IN ($1, $2) RETURNING id`,
      [self, second.id],
    );
    try {
      await t.http.post(`/api/v1/users/${self}/disable`).set(bearer(second.token)).expect(200);
      const demoted = await t.http.patch(`/api/v1/users/${second.id}`).set(bearer(second.token)).send({ role: 'AUDITOR' }).expect(409);
      expect(demoted.body.code).toBe('USER.LAST_ADMIN');
      await t.http.post(`/api/v1/users/${self}/enable`).set(bearer(second.token)).expect(200);
    } finally {
      await t.db.query(`UPDATE users SET disabled_at = NULL WHERE email = $1 OR id = ANY($2::uuid[])`, [TEST_ADMIN.email, others.map((row) => row.id)]);
    }
    admin = await t.adminToken();
  });

  it('refuses account changes to anyone but an ADMIN', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const target = await t.signedInUser('AUDITOR');
    await t.http.post(`/api/v1/users/${target.id}/disable`).set(bearer(user.token)).expect(403);
    await t.http.patch(`/api/v1/users/${target.id}`).set(bearer(user.token)).send({ role: 'ADMIN' }).expect(403);
    await me(target.token).expect(200);
  });
});

describe('Password policy', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['a common password', 'azertyuiop123', 'is among the most common passwords'],
    ['a common French password dressed up with digits and signs', 'Motdepasse2026!!', 'is among the most common passwords'],
    ["the email's local part", 'jean.dupont-crise-2026', 'contains the email address'],
  ])('refuses %s with 400 PASSWORD.TOO_WEAK saying why', async (_case, password, reason) => {
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: 'jean.dupont@renfort.test', password, role: 'AUDITOR' })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'PASSWORD.TOO_WEAK', details: [{ field: 'password', problems: [reason] }] });
    expect(response.body.message).toContain(reason);
  });

  it('refuses a password under 12 characters or over 128', async () => {
    for (const password of ['onze-chars!', 'x'.repeat(129)]) {
      await t.http.post('/api/v1/users').set(bearer(admin)).send({ email: 'long@renfort.test', password, role: 'AUDITOR' }).expect(400);
    }
    await t.http.post('/api/v1/users').set(bearer(admin)).send({ email: 'long@renfort.test', password: 'é'.repeat(128), role: 'AUDITOR' }).expect(201);
  });

  it('applies to a password change, which keeps the old password when refused', async () => {
    const user = await t.signedInUser('AUDITOR');
    const local = user.email.split('@')[0];
    for (const [newPassword, reason] of [
      ['password123456', 'is among the most common passwords'],
      [`${local}-2027`, 'contains the email address'],
    ]) {
      const response = await t.http
        .post('/api/v1/users/me/password')
        .set(bearer(user.token))
        .send({ currentPassword: PASSWORD, newPassword })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'PASSWORD.TOO_WEAK', details: [{ field: 'password', problems: [reason] }] });
    }
    await t.http.get('/api/v1/users/me').set(bearer(user.token)).expect(200);
  });
});
