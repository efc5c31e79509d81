import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { webConsoleDirectory } from '../src/common/http/web-console.js';
import { servesWebConsole } from '../src/common/startup-summary.js';
import { TestApp } from './support/test-app.js';

/** Built by `npm test` (scripts/build-if-stale.mjs) before the suites run. */
const CONSOLE = webConsoleDirectory();
if (!existsSync(path.join(CONSOLE, 'index.html'))) throw new Error(`${CONSOLE} is missing: run npm run build (npm test does it first)`);
const INDEX = readFileSync(path.join(CONSOLE, 'index.html'), 'utf8');
const SCRIPT = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(INDEX)?.[1];

describe('Web console: served at / by the service, beside the API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers its page at / and at any address of its own router, never kept by the browser', async () => {
    // The start-up line names it.
    expect(servesWebConsole(t.app.getHttpAdapter().getInstance())).toBe(true);
    for (const address of ['/', '/connexion', '/crises/3f1c2b9e-2d4a-4c8e-9a57-0c1f5e7b2a10']) {
      const response = await t.http.get(address).expect(200).expect('content-type', 'text/html; charset=utf-8');
      expect(response.text).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps its hashed files for a year, and answers 404 for one that is not there', async () => {
    expect(SCRIPT).toBeDefined();
    const script = await t.http.get(SCRIPT!).expect(200).expect('content-type', 'text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await t.http.get('/assets/index-0ld8u1ld.js').expect(404);
    expect(missing.body.code).toBe('HTTP.404');
  });

  it('never answers its page for the API, the queue dashboard or the health check: unknown API paths keep their JSON 404', async () => {
    for (const address of ['/api/v1/no-such-thing', '/api/nothing', '/admin/nothing', '/health/nothing']) {
      const response = await t.http.get(address).expect(404).expect('content-type', /application\/json/);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'HTTP.404' });
    }
    await t.http.get('/health').expect(200).expect('content-type', /application\/json/);
  });

  it('runs under a policy that allows no inline script and nothing from another host', async () => {
    const policy = String((await t.http.get('/').expect(200)).headers['content-security-policy']);
    const directives = Object.fromEntries(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['script-src']).toEqual([`'self'`]);
    expect(directives['connect-src']).toEqual([`'self'`]);
    expect(directives['font-src']).toEqual([`'self'`]);
    expect(directives['style-src']).not.toContain(`'unsafe-inline'`);
    expect(directives['frame-ancestors']).toEqual([`'none'`]);
    // The OpenAPI UI keeps the inline code it needs, on its own pages only.
    expect(String((await t.http.get('/api/docs').expect(200)).headers['content-security-policy'])).toContain(`'unsafe-inline'`);
  });

  it('tells the sign-in page whether ProConnect is offered, without a session', async () => {
    expect((await t.http.get('/api/v1/auth/providers').expect(200)).body).toEqual({ oidc: false });
    // The provider is discovered at the first sign-in only: configured is enough to be offered.
    const withProvider = await TestApp.start({
      env: {
        OIDC_ISSUER: 'https://proconnect.example.test',
        OIDC_CLIENT_ID: 'renfort',
        OIDC_CLIENT_SECRET: 'a-client-secret-long-enough-0123456789',
        OIDC_REDIRECT_URI: 'https://renfort.example.test/api/v1/auth/oidc/callback',
      },
    });
    try {
      expect((await withProvider.http.get('/api/v1/auth/providers').expect(200)).body).toEqual({ oidc: true });
    } finally {
      await withProvider.close();
    }
  });
});
