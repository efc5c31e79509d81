import { bearer, TestApp } from './support/test-app.js';

const PASSWORD = 'a long enough password';

/** The session cookie's `name=value` from an answer's Set-Cookie, and its attributes. */
function sessionCookieOf(setCookie: string[] | string | undefined): { pair: string; attributes: string[] } {
  const line = [setCookie ?? []].flat().find((cookie) => cookie.startsWith('renfort_session='));
  if (!line) throw new Error(`no renfort_session cookie in ${JSON.stringify(setCookie)}`);
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { pair, attributes };
}

describe('Browser sessions: an HttpOnly cookie for the web console, safe against cross-site requests', () => {
  let t: TestApp;
  // The service as the browser reaches it: the page's origin is the host the request is sent to.
  const HOST = 'renfort.interieur.example.fr';
  const ownOrigin = `https://${HOST}`;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', SESSION_TTL: '2h' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function sessionOf(role: Parameters<TestApp['signedInUser']>[0]): Promise<{ id: string; email: string; cookie: string }> {
    const user = await t.signedInUser(role);
    const opened = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: PASSWORD }).expect(200);
    return { id: user.id, email: user.email, cookie: sessionCookieOf(opened.headers['set-cookie']).pair };
  }

  const crisisBody = () => ({ title: 'Crues de la Roya', type: 'NATURAL_DISASTER', departements: ['06'], severity: 3 });
  const crisisCount = async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM crisis`))[0].n);

  it('opens a session with a cookie scripts cannot read, sent only over HTTPS and never by another site', async () => {
    const user = await t.signedInUser('CRISIS_OPERATOR');
    const opened = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: PASSWORD }).expect(200);
    const { pair, attributes } = sessionCookieOf(opened.headers['set-cookie']);
    expect(pair.length).toBeGreaterThan('renfort_session='.length + 20);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Max-Age=7200']));
    // The answer says who signed in, never the token itself.
    expect(opened.body).toEqual({
      userId: user.id, email: user.email, role: 'CRISIS_OPERATOR', memberId: null, directorateCode: null,
      amr: ['pwd'], mfaAt: null, enrolmentPending: false, via: 'session',
    });
    expect(JSON.stringify(opened.body)).not.toContain(pair.split('=')[1]);

    const me = await t.http.get('/api/v1/auth/session').set('cookie', pair).expect(200);
    expect(me.body).toMatchObject({ userId: user.id, role: 'CRISIS_OPERATOR', via: 'session' });
    await t.http.get('/api/v1/crises').set('cookie', pair).expect(200);
  });

  it('refuses wrong credentials without setting a cookie', async () => {
    const user = await t.signedInUser('AUDITOR');
    const refused = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: 'not the password at all' }).expect(401);
    expect(refused.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('lets a state-changing request through only from the service\'s own pages', async () => {
    const operator = await sessionOf('CRISIS_OPERATOR');
    const before = await crisisCount();
    const refusals = [
      { origin: 'https://evil.example', fetchSite: 'cross-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { fetchSite: 'same-site' },
      {},
    ];
    for (const { origin, fetchSite } of refusals) {
      const request = t.http.post('/api/v1/crises').set('cookie', operator.cookie).set('host', HOST);
      if (origin) request.set('origin', origin);
      if (fetchSite) request.set('sec-fetch-site', fetchSite);
      const refused = await request.send(crisisBody());
      expect({ origin, fetchSite, status: refused.status, code: refused.body.code }).toEqual({ origin, fetchSite, status: 403, code: 'AUTH.CROSS_SITE_REQUEST' });
    }
    expect(await crisisCount()).toBe(before);

    await t.http.post('/api/v1/crises').set('cookie', operator.cookie).set('host', HOST).set('origin', ownOrigin).send(crisisBody()).expect(201);
    await t.http.post('/api/v1/crises').set('cookie', operator.cookie).set('sec-fetch-site', 'same-origin').send(crisisBody()).expect(201);
    expect(await crisisCount()).toBe(before + 2);
    // Reads change nothing: another origin may send them (the browser keeps their answers from it).
    await t.http.get('/api/v1/crises').set('cookie', operator.cookie).set('origin', 'https://evil.example').expect(200);
  });

  it('keeps bearer tokens for machines: a bearer header is decided alone, whatever cookie comes with it', async () => {
    const operator = await sessionOf('CRISIS_OPERATOR');
    const refused = await t.http.get('/api/v1/crises').set('cookie', operator.cookie).set('authorization', 'Bearer not-a-token').expect(401);
    expect(refused.body.code).toBe('AUTH.TOKEN_INVALID');
    // A bearer caller sends no cookie and needs no Origin.
    const token = await t.login(operator.email, PASSWORD);
    await t.http.post('/api/v1/crises').set(bearer(token)).send(crisisBody()).expect(201);
    const me = await t.http.get('/api/v1/auth/session').set(bearer(token)).expect(200);
    expect(me.body.via).toBe('bearer');
  });

  it('ends the session on logout: the cookie is cleared and refused from then on', async () => {
    const auditor = await sessionOf('AUDITOR');
    await t.http.post('/api/v1/auth/logout').set('cookie', auditor.cookie).set('origin', 'https://evil.example').expect(403);
    const out = await t.http.post('/api/v1/auth/logout').set('cookie', auditor.cookie).set('host', HOST).set('origin', ownOrigin).expect(204);
    const cleared = sessionCookieOf(out.headers['set-cookie']);
    expect(cleared.pair).toBe('renfort_session=');
    expect(cleared.attributes).toEqual(expect.arrayContaining(['Max-Age=0', 'HttpOnly', 'Secure', 'SameSite=Strict']));
    const refused = await t.http.get('/api/v1/auth/session').set('cookie', auditor.cookie).expect(401);
    expect(refused.body.code).toBe('AUTH.TOKEN_REVOKED');
  });

  it('applies the revocation of tokens to sessions: a disabled user\'s cookie is refused at once', async () => {
    const operator = await sessionOf('CRISIS_OPERATOR');
    await t.http.post(`/api/v1/users/${operator.id}/disable`).set(bearer(await t.adminToken())).expect(200);
    expect((await t.http.get('/api/v1/crises').set('cookie', operator.cookie).expect(401)).body.code).toBe('AUTH.TOKEN_REVOKED');
  });

  it('refuses a forged or expired cookie', async () => {
    const forged = await t.http.get('/api/v1/auth/session').set('cookie', 'renfort_session=eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl').expect(401);
    expect(forged.body.code).toBe('AUTH.TOKEN_INVALID');
    expect(forged.body.message).toMatch(/session/);
    const none = await t.http.get('/api/v1/auth/session').set('cookie', 'other=1').expect(401);
    expect(none.body.code).toBe('AUTH.TOKEN_MISSING');
  });

  it('opens the queue dashboard to an ADMIN\'s session, its writes from the dashboard\'s own page only', async () => {
    const admin = await sessionOf('ADMIN');
    const page = await t.http.get('/admin/queues').set('cookie', admin.cookie).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    await t.http.get('/admin/queues/api/queues').set('cookie', admin.cookie).expect(200);
    const forged = await t.http.put('/admin/queues/api/queues/notifications/pause').set('cookie', admin.cookie).set('origin', 'https://evil.example');
    expect({ status: forged.status, code: forged.body.code }).toEqual({ status: 403, code: 'AUTH.CROSS_SITE_REQUEST' });
    await t.http.put('/admin/queues/api/queues/notifications/pause').set('cookie', admin.cookie).set('host', HOST).set('origin', ownOrigin).expect(200);
    await t.http.put('/admin/queues/api/queues/notifications/resume').set('cookie', admin.cookie).set('host', HOST).set('origin', ownOrigin).expect(200);

    const operator = await sessionOf('CRISIS_OPERATOR');
    expect((await t.http.get('/admin/queues').set('cookie', operator.cookie).expect(403)).body.code).toBe('AUTH.ROLE_NOT_ALLOWED');
  });
});
