import { type AddressInfo, connect } from 'node:net';
import { routeTable } from './support/routes.js';
import { freePort } from './support/redis-server.js';
import { TestApp } from './support/test-app.js';

describe('Platform: health, OpenAPI, HTTP conventions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports PostgreSQL and Redis up on /health, outside the API prefix and without a token', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.database.status).toBe('up');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('serves the OpenAPI UI and a JSON document that declares bearer authentication', async () => {
    await t.http.get('/api/docs').expect(200).expect('content-type', /html/);
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/audit/verify']));
  });

  it('sends security headers and a request id, echoing a sane X-Request-Id', async () => {
    const response = await t.http.get('/health').set('x-request-id', 'trace-42').expect(200);
    expect(response.headers['x-request-id']).toBe('trace-42');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    const generated = await t.http.get('/health').set('x-request-id', 'bad id with spaces').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 in the single error shape', async () => {
    const response = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'HTTP.404', message: expect.any(String) });
  });

  it('answers malformed JSON with a 400 in the single error shape, not a 500', async () => {
    const response = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email": ').expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/) });
  });

  it('answers an oversized body with a 413 in the single error shape', async () => {
    const huge = JSON.stringify({ email: 'a@b.fr', password: 'x'.repeat(t.config.bodyLimitBytes) });
    const response = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(huge);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, message: expect.any(String) });
  });

  it('answers headers too large with a 431 in the single error shape', async () => {
    const response = await t.http.get('/api/v1/crises').set('x-padding', 'a'.repeat(20_000));
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      statusCode: 431, error: 'Request Header Fields Too Large', code: 'REQUEST.HEADERS_TOO_LARGE', message: expect.stringMatching(/exceed \d+ bytes/),
    });
  });

  it('answers a request that is not HTTP with a 400 in the single error shape', async () => {
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end('GARBAGE / NOT-HTTP\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'REQUEST.MALFORMED' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives every route an explicit access rule: public, or a list of roles', () => {
    const routes = routeTable(t);
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((route) => !route.isPublic && !(route.roles && route.roles.length > 0)).map((route) => route.handler)).toEqual([]);
  });
});

describe('Start-up against unreachable servers', () => {
  it('stops with a message naming DATABASE_URL when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    await expect(TestApp.start({ env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/renfort_test` } })).rejects.toThrow(
      `Cannot use PostgreSQL at 127.0.0.1:${port}/renfort_test (DATABASE_URL)`,
    );
  });

  it('stops with a message naming REDIS_URL when Redis cannot be reached', async () => {
    const port = await freePort();
    await expect(TestApp.start({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } })).rejects.toThrow(
      `Cannot reach Redis at 127.0.0.1:${port} (REDIS_URL)`,
    );
  });
});
