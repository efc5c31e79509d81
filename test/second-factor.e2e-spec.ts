import { generate } from 'otplib';
import { FixedClock } from '../src/common/time/clock.js';
import { crisisActors, isolatedCategory, preparedActivation } from './support/crisis.js';
import { bearer, type SignedInUser, TEST_ADMIN, TestApp } from './support/test-app.js';

const PASSWORD = 'a long enough password';
const STEP_MS = 30_000;

describe('Second factor (TOTP): enrolment, sign-in, recovery codes, and step-up at authorization', () => {
  // Codes follow this clock, moved a time step forward whenever a new code is needed: each code is good once.
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({
      clock,
      env: { RUN_WORKERS: 'false', MFA_REQUIRED_ROLES: 'MINISTER', AUTHORIZATION_REQUIRES_MFA: 'true', MFA_STEP_UP_WINDOW: '15m' },
    });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  /** The code an authenticator app shows now, by the service's clock, after moving it to a time step of its own. */
  async function nextCode(secret: string): Promise<string> {
    clock.advance(STEP_MS);
    return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  }

  const session = (token: string) => t.http.get('/api/v1/auth/session').set(bearer(token));
  const signIn = (email: string, otp?: string) => t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD, ...(otp !== undefined ? { otp } : {}) });
  const eventsOf = async (id: string) =>
    (await t.http.get('/api/v1/audit/events').query({ aggregateId: id, pageSize: 200 }).set(bearer(admin)).expect(200)).body.items as {
      type: string;
      payload: Record<string, unknown>;
    }[];

  /** Enrols the user's second factor with the token given; answers the secret, the recovery codes and the new token. */
  async function enrol(token: string): Promise<{ secret: string; recoveryCodes: string[]; token: string }> {
    const { secret } = (await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(token)).expect(200)).body;
    const confirmed = await t.http.post('/api/v1/users/me/mfa/totp/confirm').set(bearer(token)).send({ code: await nextCode(secret) }).expect(200);
    return { secret, recoveryCodes: confirmed.body.recoveryCodes, token: confirmed.body.token.accessToken };
  }

  it('enrols: a pending secret (a new one replaces it), confirmed by a code, ten recovery codes shown once, the other sessions ended', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const otherSession = await t.login(user.email, PASSWORD);

    const first = (await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(user.token)).expect(200)).body;
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(first.otpauthUri);
    expect(`${uri.protocol}//${uri.host}${decodeURIComponent(uri.pathname)}`).toBe(`otpauth://totp/Renfort:${user.email}`);
    expect(uri.searchParams.get('secret')).toBe(first.secret);
    expect(uri.searchParams.get('issuer')).toBe('Renfort');
    const { secret } = (await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(user.token)).expect(200)).body;
    expect(secret).not.toBe(first.secret);

    // Pending: sign-in is unchanged, and the secret is not stored in clear.
    await signIn(user.email).expect(200);
    const [stored] = await t.db.query(`SELECT encrypted_secret, confirmed_at FROM user_second_factor WHERE user_id = $1`, [user.id]);
    expect(stored.confirmed_at).toBeNull();
    expect(stored.encrypted_secret).not.toContain(secret);

    const replaced = await t.http.post('/api/v1/users/me/mfa/totp/confirm').set(bearer(user.token)).send({ code: await nextCode(first.secret) }).expect(400);
    expect(replaced.body).toMatchObject({ code: 'MFA.CODE_INVALID', details: [{ field: 'code' }] });
    await t.http.post('/api/v1/users/me/mfa/totp/confirm').set(bearer(user.token)).send({ code: 'twelve' }).expect(400);

    const confirmed = await t.http
      .post('/api/v1/users/me/mfa/totp/confirm')
      .set(bearer(user.token))
      .set('idempotency-key', `confirm-${user.id}`)
      .send({ code: await nextCode(secret) })
      .expect(200);
    const { recoveryCodes, token, amr, mfaAt } = confirmed.body;
    // An answer holding credentials is never stored for an Idempotency-Key replay.
    expect(await t.db.query(`SELECT 1 FROM idempotency_key WHERE key = $1`, [`confirm-${user.id}`])).toEqual([]);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(amr).toEqual(['pwd', 'otp']);
    expect(mfaAt).toBe(new Date(Math.floor(clock.now().getTime() / 1000) * 1000).toISOString());
    expect((await session(token.accessToken).expect(200)).body).toMatchObject({ amr: ['pwd', 'otp'], mfaAt, enrolmentPending: false });

    // Only hashes are kept; the sessions opened with the password alone are over.
    const hashes: { code_hash: string }[] = await t.db.query(`SELECT code_hash FROM user_recovery_code WHERE user_id = $1`, [user.id]);
    expect(hashes).toHaveLength(10);
    expect(hashes.map((row) => row.code_hash)).not.toEqual(expect.arrayContaining([recoveryCodes[0]]));
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0].replace('-', ''));
    for (const ended of [user.token, otherSession]) expect((await session(ended).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');

    const again = await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(token.accessToken)).expect(409);
    expect(again.body.code).toBe('MFA.ALREADY_ENROLLED');
    expect((await eventsOf(user.id)).map((event) => event.type)).toContain('UserSecondFactorEnrolled');
    expect(JSON.stringify(await eventsOf(user.id))).not.toContain(secret);
  });

  it('signs an enrolled user in with a code only: OTP_REQUIRED after the right password, OTP_INVALID for a wrong code, each code once', async () => {
    const user = await t.signedInUser('AUDITOR');
    const { secret } = await enrol(user.token);

    // The password first: a wrong one says nothing of the second factor.
    const wrongPassword = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'not the password at all' }).expect(401);
    expect(wrongPassword.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect((await signIn(user.email).expect(401)).body.code).toBe('AUTH.OTP_REQUIRED');
    expect((await signIn(user.email, '000000').expect(401)).body.code).toBe('AUTH.OTP_INVALID');

    const code = await nextCode(secret);
    const signedIn = await signIn(user.email, code).expect(200);
    expect((await session(signedIn.body.accessToken).expect(200)).body).toMatchObject({
      amr: ['pwd', 'otp'],
      mfaAt: new Date(Math.floor(clock.now().getTime() / 1000) * 1000).toISOString(),
    });
    // Replayed, even within its own time step: refused.
    expect((await signIn(user.email, code).expect(401)).body.code).toBe('AUTH.OTP_INVALID');
    await signIn(user.email, await nextCode(secret)).expect(200);

    // The browser session asks the same, and says how.
    const opened = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: PASSWORD }).expect(401);
    expect(opened.body.code).toBe('AUTH.OTP_REQUIRED');
    const withCode = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: PASSWORD, otp: await nextCode(secret) }).expect(200);
    expect(withCode.body).toMatchObject({ amr: ['pwd', 'otp'], via: 'session' });
  });

  it('accepts each recovery code once in place of a code, and records its use', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const { recoveryCodes } = await enrol(user.token);

    // As read from paper: upper case, spaces around.
    const signedIn = await signIn(user.email, ` ${recoveryCodes[3].toUpperCase()} `).expect(200);
    expect((await session(signedIn.body.accessToken).expect(200)).body.amr).toEqual(['pwd', 'otp']);
    expect((await signIn(user.email, recoveryCodes[3]).expect(401)).body.code).toBe('AUTH.OTP_INVALID');
    expect((await signIn(user.email, 'abcde-fghjk').expect(401)).body.code).toBe('AUTH.OTP_INVALID');
    await signIn(user.email, recoveryCodes[4]).expect(200);

    const used = (await eventsOf(user.id)).filter((event) => event.type === 'UserRecoveryCodeUsed');
    expect(used.map((event) => event.payload).sort((a, b) => Number(b.recoveryCodesLeft) - Number(a.recoveryCodesLeft))).toEqual([
      { purpose: 'sign-in', recoveryCodesLeft: 9 },
      { purpose: 'sign-in', recoveryCodesLeft: 8 },
    ]);
  });

  it('gives a user of a role that must enrol a token for enrolling only; confirming gives the normal token', async () => {
    const minister = await t.signedInUser('MINISTER');
    expect((await session(minister.token).expect(200)).body).toMatchObject({ role: 'MINISTER', amr: ['pwd'], enrolmentPending: true });
    for (const refused of [
      t.http.get('/api/v1/users/me').set(bearer(minister.token)),
      t.http.get('/api/v1/crises').set(bearer(minister.token)),
      t.http.post('/api/v1/auth/step-up').set(bearer(minister.token)).send({ otp: '123456' }),
      t.http.post('/api/v1/users/me/password').set(bearer(minister.token)).send({ currentPassword: PASSWORD, newPassword: 'tempete-alex-vesubie-2027' }),
    ]) {
      expect((await refused.expect(403)).body.code).toBe('AUTH.MFA_ENROLMENT_REQUIRED');
    }
    // Signing out stays open.
    await t.http.post('/api/v1/auth/logout').set(bearer(await t.login(minister.email, PASSWORD))).expect(204);

    const { token } = await enrol(await t.login(minister.email, PASSWORD));
    expect((await session(token).expect(200)).body).toMatchObject({ amr: ['pwd', 'otp'], enrolmentPending: false });
    await t.http.get('/api/v1/crises').set(bearer(token)).expect(200);
  });

  it("lets an ADMIN reset a lost second factor: the user's sessions end, it signs in with its password and enrols again", async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const { token, recoveryCodes } = await enrol(user.token);
    const operator = await t.signedInUser('CRISIS_OPERATOR');

    await t.http.delete(`/api/v1/users/${user.id}/mfa`).set(bearer(operator.token)).expect(403);
    await t.http.delete(`/api/v1/users/${user.id}/mfa`).set(bearer(admin)).expect(204);
    expect((await session(token).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
    const again = await signIn(user.email).expect(200);
    expect((await session(again.body.accessToken).expect(200)).body.amr).toEqual(['pwd']);
    expect(await t.db.query(`SELECT 1 FROM user_recovery_code WHERE user_id = $1`, [user.id])).toEqual([]);
    expect(recoveryCodes).toHaveLength(10);

    expect((await t.http.delete(`/api/v1/users/${user.id}/mfa`).set(bearer(admin)).expect(409)).body.code).toBe('MFA.NOT_ENROLLED');
    const self = (await session(admin).expect(200)).body.userId;
    expect((await t.http.delete(`/api/v1/users/${self}/mfa`).set(bearer(admin)).expect(409)).body.code).toBe('MFA.CANNOT_RESET_OWN');
    expect((await eventsOf(user.id)).find((event) => event.type === 'UserSecondFactorReset')?.payload).toEqual({ email: user.email });
    await enrol(again.body.accessToken);
  });

  it('refuses a MINISTER without a recent second factor at authorization, accepts it after a TOTP step-up, and records how', async () => {
    const actors = await crisisActors(t);
    const { secret, token: enrolled } = await enrol(actors.minister.token);
    const minister: SignedInUser = { ...actors.minister, token: enrolled };
    const category = await isolatedCategory(t);
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    // One Idempotency-Key for the whole decision: the refusal that asks for a second factor is not
    // stored, so the retry after the step-up carries the authorization through.
    const authorize = (token: string) =>
      t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(token)).set('idempotency-key', `authorize-${activationId}`).send({});

    // The second factor of the enrolment is 16 minutes old: past the window.
    clock.advance(16 * 60_000);
    const refused = await authorize(minister.token).expect(403);
    expect(refused.body).toMatchObject({ code: 'AUTH.MFA_REQUIRED', message: expect.stringContaining('POST /auth/step-up') });
    const [pending] = await t.db.query(`SELECT status FROM activation WHERE id = $1`, [activationId]);
    expect(pending.status).toBe('PENDING_AUTHORIZATION');

    const wrong = await t.http.post('/api/v1/auth/step-up').set(bearer(minister.token)).send({ otp: '000000' }).expect(400);
    expect(wrong.body.code).toBe('MFA.CODE_INVALID');
    const steppedUp = await t.http.post('/api/v1/auth/step-up').set(bearer(minister.token)).send({ otp: await nextCode(secret) }).expect(200);
    const mfaAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000).toISOString();
    expect(steppedUp.body).toMatchObject({ amr: ['pwd', 'otp'], mfaAt, token: { tokenType: 'Bearer' } });

    const authorized = await authorize(steppedUp.body.token.accessToken).expect(200);
    expect(authorized.body).toMatchObject({ status: 'AUTHORIZED', authorizedBy: minister.id });
    const event = (await eventsOf(activationId)).find((e) => e.type === 'ActivationAuthorized');
    expect(event?.payload).toMatchObject({ amr: ['pwd', 'otp'], mfaAt });
  });

  it('steps up a browser session by setting its cookie again, and refuses a step-up to a user without a second factor', async () => {
    const user = await t.signedInUser('AUDITOR');
    const { secret } = await enrol(user.token);
    const opened = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: PASSWORD, otp: await nextCode(secret) }).expect(200);
    const cookie = String(opened.headers['set-cookie']).split(';')[0];
    const steppedUp = await t.http
      .post('/api/v1/auth/step-up')
      .set('cookie', cookie)
      .set('sec-fetch-site', 'same-origin')
      .send({ otp: await nextCode(secret) })
      .expect(200);
    expect(steppedUp.body).toMatchObject({ token: null, amr: ['pwd', 'otp'] });
    const renewed = String(steppedUp.headers['set-cookie']).split(';')[0];
    expect(renewed).toMatch(/^renfort_session=.+/);
    expect((await t.http.get('/api/v1/auth/session').set('cookie', renewed).expect(200)).body).toMatchObject({ via: 'session', mfaAt: steppedUp.body.mfaAt });

    const plain = await t.signedInUser('CRISIS_OPERATOR');
    expect((await t.http.post('/api/v1/auth/step-up').set(bearer(plain.token)).send({ otp: '123456' }).expect(409)).body.code).toBe('MFA.NOT_ENROLLED');
  });

  it('never asks the bootstrap ADMIN of this suite for a code (its role is not required here)', async () => {
    expect((await session(await t.login(TEST_ADMIN.email, TEST_ADMIN.password)).expect(200)).body).toMatchObject({ enrolmentPending: false });
  });
});
