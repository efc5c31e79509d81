import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { signInAtProvider, TestOidcProvider } from './support/oidc-provider.js';
import { bearer, TestApp } from './support/test-app.js';

const HOST = 'renfort.interieur.example.fr';
const REDIRECT_URI = `https://${HOST}/api/v1/auth/oidc/callback`;
const POST_LOGOUT_URI = `https://${HOST}/`;
const SIGNED = { clientId: 'renfort-signed', clientSecret: 'renfort-signed-client-secret-0123456789', redirectUri: REDIRECT_URI, postLogoutRedirectUri: POST_LOGOUT_URI, signedUserinfo: true };
const PLAIN = { clientId: 'renfort-plain', clientSecret: 'renfort-plain-client-secret-0123456789', redirectUri: REDIRECT_URI, postLogoutRedirectUri: POST_LOGOUT_URI, signedUserinfo: false };

/** `name=value` of a cookie an answer sets, and its attributes. */
function cookieOf(setCookie: string[] | string | undefined, name: string): { pair: string; attributes: string[] } | undefined {
  const line = [setCookie ?? []].flat().find((cookie) => cookie.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { pair, attributes };
}

let provider: TestOidcProvider;

beforeAll(async () => {
  provider = await TestOidcProvider.start([SIGNED, PLAIN]);
});
afterAll(async () => {
  await provider.close();
});

function oidcEnv(client: typeof SIGNED, extra: Record<string, string> = {}): Record<string, string> {
  return {
    RUN_WORKERS: 'false',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: client.clientId,
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_REDIRECT_URI: REDIRECT_URI,
    OIDC_POST_LOGOUT_REDIRECT_URI: POST_LOGOUT_URI,
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    ...extra,
  };
}

/** A browser's journey through the flow, by hand: Renfort, the provider, back to Renfort. */
class Journey {
  constructor(private readonly t: TestApp) {}

  /** Starts at Renfort: the authorization URL, its parameters, and the browser's binding cookie. */
  async start() {
    const started = await this.t.http.get('/api/v1/auth/oidc/login').expect(302);
    const authorizationUrl = new URL(started.headers.location);
    const binding = cookieOf(started.headers['set-cookie'], 'renfort_oidc')!;
    return { authorizationUrl, binding, state: authorizationUrl.searchParams.get('state')! };
  }

  /** Through the provider's sign-in page as `login`: the callback's query string. */
  async atProvider(authorizationUrl: URL, login: string): Promise<string> {
    const back = await signInAtProvider(authorizationUrl.href, login, REDIRECT_URI);
    return back.search.slice(1);
  }

  callback(query: string, bindingPair?: string) {
    const request = this.t.http.get(`/api/v1/auth/oidc/callback?${query}`);
    return bindingPair ? request.set('cookie', bindingPair) : request;
  }

  /** The whole way for a provider account: the callback's answer. */
  async signIn(login: string) {
    const { authorizationUrl, binding } = await this.start();
    return this.callback(await this.atProvider(authorizationUrl, login), binding.pair);
  }
}

describe('Sign-in through an OpenID provider (ProConnect), against a real provider', () => {
  let t: TestApp;
  let journey: Journey;

  beforeAll(async () => {
    t = await TestApp.start({ env: oidcEnv(SIGNED) });
    journey = new Journey(t);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A Renfort account and the provider's account for the same person (the provider spells the email its own way). */
  async function person(role: Parameters<TestApp['signedInUser']>[0], amr: string[] = ['pwd']) {
    const user = await t.signedInUser(role);
    const login = `agent-${randomUUID()}`;
    provider.accounts.set(login, { email: user.email.toUpperCase(), given_name: 'Camille', usual_name: 'Martin', amr });
    return { user, login };
  }

  async function auditEventsOf(type: string, subject: string): Promise<{ actor_id: string | null; payload: Record<string, unknown> }[]> {
    await t.sealEvents();
    return t.db.query(`SELECT actor_id, payload FROM audit_event WHERE type = $1 AND payload->>'subject' = $2`, [type, subject]);
  }

  it('sends the browser to the provider with PKCE (S256), a long random state and nonce, bound to the browser by a Lax cookie', async () => {
    const { authorizationUrl, binding } = await journey.start();
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${provider.issuer}/auth`);
    const parameters = Object.fromEntries(authorizationUrl.searchParams);
    expect(parameters).toMatchObject({ response_type: 'code', client_id: SIGNED.clientId, redirect_uri: REDIRECT_URI, scope: 'openid email given_name usual_name', code_challenge_method: 'S256' });
    expect(parameters.state).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(parameters.nonce).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(parameters.state).not.toBe(parameters.nonce);
    expect(parameters.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(parameters.claims)).toEqual({ id_token: { amr: { essential: true } } });
    expect(binding.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/api/v1/auth/oidc', 'Max-Age=600']));
    // Only the binding's hash is kept on the server, with the verifier that never left it.
    const [row] = await t.db.query(`SELECT browser_hash, code_verifier, expires_at - created_at AS life FROM oidc_sign_in WHERE state = $1`, [parameters.state]);
    expect(row.browser_hash).not.toContain(binding.pair.split('=')[1]);
    expect(row.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs an existing user in: session cookie set, the session says how (fed and the provider\'s methods), the sign-in audited', async () => {
    const { user, login } = await person('CRISIS_OPERATOR');
    const answer = await journey.signIn(login);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.text).toContain('<meta http-equiv="refresh" content="0;url=/">');
    expect(answer.text).toContain('<a href="/">');
    expect(answer.text).not.toContain('<script');
    const session = cookieOf(answer.headers['set-cookie'], 'renfort_session')!;
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']));
    // The email came from a signed userinfo answer, as ProConnect sends it.
    expect(provider.userinfoAnswers.at(-1)).toContain('application/jwt');
    // The binding cookie has served its purpose.
    expect(cookieOf(answer.headers['set-cookie'], 'renfort_oidc')?.attributes).toEqual(expect.arrayContaining(['Max-Age=0']));

    const me = await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(200);
    expect(me.body).toMatchObject({ userId: user.id, email: user.email, role: 'CRISIS_OPERATOR', amr: ['fed', 'pwd'], mfaAt: null, via: 'session' });
    await t.http.get('/api/v1/crises').set('cookie', session.pair).expect(200);

    const [subject] = await t.db.query(`SELECT subject FROM oidc_sign_in WHERE user_id = $1 AND outcome = 'SIGNED_IN'`, [user.id]);
    expect(subject.subject).toBe(login);
    const events = await auditEventsOf('UserSignedIn', login);
    expect(events).toEqual([expect.objectContaining({ actor_id: user.id, payload: expect.objectContaining({ method: 'oidc', amr: ['fed', 'pwd'], secondFactor: false }) })]);
  });

  it('counts a second factor the provider reports as one checked now (mfaAt)', async () => {
    const { user, login } = await person('MINISTER', ['pwd', 'totp', 'mfa']);
    const before = Math.floor(Date.now() / 1000);
    const answer = await journey.signIn(login);
    expect(answer.status).toBe(200);
    const session = cookieOf(answer.headers['set-cookie'], 'renfort_session')!;
    const me = await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(200);
    expect(me.body).toMatchObject({ userId: user.id, amr: ['fed', 'pwd', 'totp', 'mfa'] });
    expect(Date.parse(me.body.mfaAt) / 1000).toBeGreaterThanOrEqual(before);
  });

  it('refuses an identity no Renfort account has, with a French 403 page and an audit event, and no session', async () => {
    const login = `stranger-${randomUUID()}`;
    provider.accounts.set(login, { email: `${login}@interieur.gouv.fr`, amr: ['pwd'] });
    const answer = await journey.signIn(login);
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.text).toContain('Aucun compte Renfort pour cette identité');
    expect(answer.text).toContain('OIDC.UNKNOWN_IDENTITY');
    expect(cookieOf(answer.headers['set-cookie'], 'renfort_session')).toBeUndefined();
    const events = await auditEventsOf('OidcSignInRefused', login);
    expect(events).toEqual([
      expect.objectContaining({ actor_id: null, payload: expect.objectContaining({ reason: 'UNKNOWN_IDENTITY', email: `${login}@interieur.gouv.fr`, subject: login }) }),
    ]);
  });

  it('refuses a user who enrolled a second factor here when the provider reports none; with one reported, signs in, and after a step-up still signs out at the provider', async () => {
    const { user, login } = await person('CRISIS_OPERATOR');
    const { secret } = (await t.http.post('/api/v1/users/me/mfa/totp').set(bearer(user.token)).expect(200)).body;
    await t.http.post('/api/v1/users/me/mfa/totp/confirm').set(bearer(user.token)).send({ code: await generate({ secret }) }).expect(200);
    const refused = await journey.signIn(login);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('OIDC.SECOND_FACTOR_REQUIRED');
    expect(cookieOf(refused.headers['set-cookie'], 'renfort_session')).toBeUndefined();
    expect(await auditEventsOf('OidcSignInRefused', login)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ reason: 'SECOND_FACTOR_REQUIRED', userId: user.id }) })]);
    provider.accounts.set(login, { ...provider.accounts.get(login)!, amr: ['pwd', 'otp'] });
    const admitted = await journey.signIn(login);
    expect(admitted.status).toBe(200);

    // A step-up issues the session again; signing out still signs out at the provider with this sign-in's ID token.
    const [{ id_token: idToken }] = await t.db.query(`SELECT id_token FROM oidc_sign_in WHERE user_id = $1 AND outcome = 'SIGNED_IN'`, [user.id]);
    const sameSite = (request: ReturnType<TestApp['http']['post']>) => request.set('host', HOST).set('origin', `https://${HOST}`);
    const steppedUp = await sameSite(t.http.post('/api/v1/auth/step-up'))
      .set('cookie', cookieOf(admitted.headers['set-cookie'], 'renfort_session')!.pair)
      .send({ otp: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) })
      .expect(200);
    const session = cookieOf(steppedUp.headers['set-cookie'], 'renfort_session')!;
    const out = await sameSite(t.http.post('/api/v1/auth/oidc/logout')).set('cookie', session.pair).expect(303);
    expect(new URL(out.headers.location).searchParams.get('id_token_hint')).toBe(idToken);
  });

  it('refuses a disabled account', async () => {
    const { user, login } = await person('AUDITOR');
    await t.http.post(`/api/v1/users/${user.id}/disable`).set(bearer(await t.adminToken())).expect(200);
    const answer = await journey.signIn(login);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('OIDC.ACCOUNT_DISABLED');
    expect(cookieOf(answer.headers['set-cookie'], 'renfort_session')).toBeUndefined();
  });

  it('refuses an answer with a state it did not issue, and one brought by another browser', async () => {
    const { login } = await person('AUDITOR');
    const { authorizationUrl, binding } = await journey.start();
    const query = new URLSearchParams(await journey.atProvider(authorizationUrl, login));

    const forged = new URLSearchParams(query);
    forged.set('state', 'x'.repeat(43));
    const unknown = await journey.callback(forged.toString(), binding.pair);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('OIDC.UNKNOWN_STATE');

    const elsewhere = await journey.callback(query.toString(), `renfort_oidc=${'y'.repeat(43)}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('OIDC.BROWSER_MISMATCH');
    const noCookie = await journey.callback(query.toString());
    expect(noCookie.status).toBe(400);
    expect(cookieOf(noCookie.headers['set-cookie'], 'renfort_session')).toBeUndefined();

    // Neither spent the attempt: its own browser still finishes it.
    expect((await journey.callback(query.toString(), binding.pair)).status).toBe(200);
  });

  it('refuses a replayed answer: the same code and state a second time', async () => {
    const { login } = await person('AUDITOR');
    const { authorizationUrl, binding } = await journey.start();
    const query = await journey.atProvider(authorizationUrl, login);
    expect((await journey.callback(query, binding.pair)).status).toBe(200);
    const replayed = await journey.callback(query, binding.pair);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('Connexion déjà utilisée');
    expect(cookieOf(replayed.headers['set-cookie'], 'renfort_session')).toBeUndefined();
  });

  it('refuses an attempt older than its life', async () => {
    const { login } = await person('AUDITOR');
    const { authorizationUrl, binding, state } = await journey.start();
    const query = await journey.atProvider(authorizationUrl, login);
    await t.db.query(`UPDATE oidc_sign_in SET created_at = created_at - interval '11 minutes', expires_at = expires_at - interval '11 minutes' WHERE state = $1`, [state]);
    const expired = await journey.callback(query, binding.pair);
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('OIDC.STATE_EXPIRED');
    expect(cookieOf(expired.headers['set-cookie'], 'renfort_session')).toBeUndefined();
  });

  it('answers the provider\'s own refusal with a French page, not a server error', async () => {
    const { authorizationUrl, binding } = await journey.start();
    // The provider's login form with an account it does not know ends the flow with access_denied.
    const query = await journey.atProvider(authorizationUrl, `nobody-${randomUUID()}`);
    expect(new URLSearchParams(query).get('error')).toBe('access_denied');
    const refused = await journey.callback(query, binding.pair);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('OIDC.PROVIDER_ERROR');
  });

  it('signs out here and at the provider: 303 to its end-session endpoint with the ID token as hint; the old cookie is refused after', async () => {
    const { user, login } = await person('CRISIS_OPERATOR');
    const session = cookieOf((await journey.signIn(login)).headers['set-cookie'], 'renfort_session')!;
    const [{ id_token: idToken }] = await t.db.query(`SELECT id_token FROM oidc_sign_in WHERE user_id = $1`, [user.id]);

    const out = await t.http.post('/api/v1/auth/oidc/logout').set('cookie', session.pair).set('host', HOST).set('origin', `https://${HOST}`).expect(303);
    const location = new URL(out.headers.location);
    expect(location.origin + location.pathname).toBe(`${provider.issuer}/session/end`);
    expect(location.searchParams.get('id_token_hint')).toBe(idToken);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(POST_LOGOUT_URI);
    expect(cookieOf(out.headers['set-cookie'], 'renfort_session')?.attributes).toEqual(expect.arrayContaining(['Max-Age=0']));
    // The provider accepts the hint: it asks the person to confirm signing out, rather than an error.
    const atProvider = await fetch(location, { redirect: 'manual' });
    expect(atProvider.status).toBe(200);
    expect(await atProvider.text()).toContain('logout');

    const refused = await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(401);
    expect(refused.body.code).toBe('AUTH.TOKEN_REVOKED');
    const [row] = await t.db.query(`SELECT id_token, ended_at FROM oidc_sign_in WHERE user_id = $1`, [user.id]);
    expect(row).toEqual({ id_token: null, ended_at: expect.any(Date) });
  });

  it('refuses to sign out a session cookie sent by another site', async () => {
    const { login } = await person('AUDITOR');
    const session = cookieOf((await journey.signIn(login)).headers['set-cookie'], 'renfort_session')!;
    const refused = await t.http.post('/api/v1/auth/oidc/logout').set('cookie', session.pair).set('host', HOST).set('origin', 'https://elsewhere.example').expect(403);
    expect(refused.body.code).toBe('AUTH.CROSS_SITE_REQUEST');
    await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(200);
  });
});

describe('Sign-in through a provider that answers userinfo as plain JSON, for roles that must prove who they are twice', () => {
  let t: TestApp;
  let journey: Journey;

  beforeAll(async () => {
    t = await TestApp.start({ env: oidcEnv(PLAIN, { MFA_REQUIRED_ROLES: 'MINISTER' }) });
    journey = new Journey(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads the email from a plain JSON userinfo answer', async () => {
    const user = await t.signedInUser('AUDITOR');
    const login = `agent-${randomUUID()}`;
    provider.accounts.set(login, { email: user.email, amr: ['pwd'] });
    const answer = await journey.signIn(login);
    expect(answer.status).toBe(200);
    expect(provider.userinfoAnswers.at(-1)).toContain('application/json');
    const session = cookieOf(answer.headers['set-cookie'], 'renfort_session')!;
    const me = await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(200);
    expect(me.body).toMatchObject({ userId: user.id, amr: ['fed', 'pwd'] });
  });

  it('refuses a role that needs a second factor when the provider reports none, and lets it in when it does', async () => {
    const user = await t.signedInUser('MINISTER');
    const once = `agent-${randomUUID()}`;
    const twice = `agent-${randomUUID()}`;
    provider.accounts.set(once, { email: user.email, amr: ['pwd'] });
    provider.accounts.set(twice, { email: user.email, amr: ['pwd', 'otp'] });
    const refused = await journey.signIn(once);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('OIDC.SECOND_FACTOR_REQUIRED');
    const admitted = await journey.signIn(twice);
    expect(admitted.status).toBe(200);
  });
});

describe('Without an OpenID provider configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 OIDC.NOT_CONFIGURED on the sign-in routes, and still signs a session out', async () => {
    for (const path of ['/api/v1/auth/oidc/login', '/api/v1/auth/oidc/callback?code=x&state=y']) {
      const answer = await t.http.get(path).expect(404);
      expect(answer.body.code).toBe('OIDC.NOT_CONFIGURED');
    }
    const user = await t.signedInUser('AUDITOR');
    const opened = await t.http.post('/api/v1/auth/session').send({ email: user.email, password: 'a long enough password' }).expect(200);
    const session = cookieOf(opened.headers['set-cookie'], 'renfort_session')!;
    const out = await t.http.post('/api/v1/auth/oidc/logout').set('cookie', session.pair).set('host', HOST).set('origin', `https://${HOST}`).expect(303);
    expect(out.headers.location).toBe('/');
    await t.http.get('/api/v1/auth/session').set('cookie', session.pair).expect(401);
  });
});
