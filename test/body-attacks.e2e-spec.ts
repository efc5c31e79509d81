import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { bearer, TestApp } from './support/test-app.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** About 1 MB of JSON: the route's fields and tens of thousands of keys it does not know. */
function keyBomb(fields: Record<string, unknown>): string {
  const known = JSON.stringify(fields).slice(1, -1);
  const unknown = Array.from({ length: 70_000 }, (_, i) => `"k${i}":${i}`).join(',');
  return `{${known},${unknown}}`.slice(0, 1_000_000).replace(/,[^,]*$/, '}');
}

describe('Request bodies: the work per request is bounded before any transformation', () => {
  let t: TestApp;
  let base: string;
  let operator: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    operator = (await t.signedInUser('CRISIS_OPERATOR')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, payload: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

  it('refuses a login body over the small limit of public routes with one 413 naming the limit', async () => {
    const response = await post('/api/v1/auth/login', keyBomb({ email: 'a@b.fr', password: 'whatever-password' }));
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      statusCode: 413, error: 'Payload Too Large', code: 'REQUEST.BODY_TOO_LARGE',
      message: `Request body is too large: this route accepts at most ${t.config.bodyShape.publicLimitBytes} bytes`,
    });
  });

  it('refuses a key-count bomb on a signed-in route with one 400 naming the limit, not every key', async () => {
    const response = await post('/api/v1/crises', keyBomb({ title: 'x', type: 'OTHER', departements: ['75'], severity: 1 }), bearer(operator));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(300);
    expect(JSON.parse(text)).toMatchObject({ statusCode: 400, code: 'REQUEST.TOO_MANY_KEYS', message: expect.stringContaining(`more than ${t.config.bodyShape.maxKeys} keys`) });
  });

  it('reads no body sent to a private route without a valid token', async () => {
    const response = await post('/api/v1/crises', keyBomb({ title: 'x' }), { authorization: 'Bearer forged.token.here' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_INVALID' });
    const missing = await post('/api/v1/crises', keyBomb({ title: 'x' }));
    expect(await missing.json()).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_MISSING' });
  });

  it('refuses an array longer than any request needs, naming the field', async () => {
    const response = await post('/api/v1/crises', JSON.stringify({ title: 'x', type: 'OTHER', departements: Array.from({ length: 50_000 }, () => '75'), severity: 1 }), bearer(operator));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'REQUEST.ARRAY_TOO_LONG', message: expect.stringContaining('departements holds more than') });
  });

  it('keeps /health fast on the same instance while two clients send body attacks', async () => {
    const bodies = [
      { path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: keyBomb({ email: 'victim@renfort.test', password: 'whatever-password' }) },
      { path: '/api/v1/crises', headers: { 'content-type': 'application/json' }, payload: keyBomb({ title: 'x', type: 'OTHER', departements: ['75'], severity: 1 }) },
      { path: '/api/v1/crises', headers: { 'content-type': 'application/json', ...bearer(operator) }, payload: keyBomb({ title: 'x', type: 'OTHER', departements: ['75'], severity: 1 }) },
    ];
    // The attackers run on threads of their own: the client's work must not be counted as the server's.
    const attackers = [0, 1].map(
      (first) =>
        new Worker(ATTACKER, { eval: true, workerData: { base, bodies, first, durationMs: 5000 } }),
    );
    const reports = attackers.map((worker) => new Promise<{ times: number[]; statuses: Record<string, number> }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }));
    // The prober too: a blocked server must show as slow answers, not as a test that stops asking.
    const prober = new Worker(PROBER, { eval: true, workerData: { base, durationMs: 5000 } });
    const health = await new Promise<number[]>((resolve, reject) => {
      prober.once('message', resolve);
      prober.once('error', reject);
    });
    const done = await Promise.all(reports);
    const attackTimes = done.flatMap((report) => report.times).sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const report of done) for (const [status, count] of Object.entries(report.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
    health.sort((a, b) => a - b);
    const p99 = percentile(health, 99);
    process.stdout.write(
      `body attack (2 clients, ~1 MB key bombs on login, and on a private route without and with a token, 5 s): /health ${health.length} checks, ` +
        `p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${health.at(-1)!.toFixed(1)} ms; ` +
        `${attackTimes.length} attack requests, p50 ${percentile(attackTimes, 50).toFixed(1)} ms, p99 ${percentile(attackTimes, 99).toFixed(1)} ms, ` +
        `statuses ${JSON.stringify(statuses)}\n`,
    );
    expect(Object.keys(statuses).sort()).toEqual(['400', '401', '413']);
    expect(p99).toBeLessThan(500);
  });
});

/** Asks /health every 10 ms until the time is up, then reports each answer's time. */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const times = [];
  const until = Date.now() + workerData.durationMs;
  while (Date.now() < until) {
    const started = performance.now();
    const response = await fetch(workerData.base + '/health');
    await response.arrayBuffer();
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  parentPort.postMessage(times);
})();
`;

/** One attacking client: sends its bodies in turn until the time is up, then reports. */
const ATTACKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { base, bodies, first, durationMs } = workerData;
  const times = [];
  const statuses = {};
  const until = Date.now() + durationMs;
  for (let i = first; Date.now() < until; i += 1) {
    const { path, headers, payload } = bodies[i % bodies.length];
    const started = performance.now();
    const response = await fetch(base + path, { method: 'POST', headers, body: payload });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] || 0) + 1;
  }
  parentPort.postMessage({ times, statuses });
})();
`;
