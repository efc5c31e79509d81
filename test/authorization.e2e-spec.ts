import { mkdirSync, writeFileSync } from 'node:fs';
import { QUEUE_DASHBOARD_ROUTE } from '../src/admin/queue-dashboard.js';
import { AUTHORIZATION_MATRIX, CALLERS, type Outcome } from './authorization-matrix.js';
import { routeTable } from './support/routes.js';
import { bearer, TestApp } from './support/test-app.js';
import { World } from './support/world.js';

/**
 * Valid bodies where the empty one would be refused by validation before any ownership check
 * (a 400 that says nothing about the object): with them the call reaches the object.
 */
const SAMPLE_BODIES: Record<string, Record<string, unknown>> = {
  'PATCH /api/v1/assets/:id': { version: 1, name: 'Renamed by the matrix' },
  'POST /api/v1/assets/:id/unavailability': { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', reason: 'Matrix' },
  'POST /api/v1/members/:id/contacts': {
    name: 'Matrix', role: 'DUTY_OFFICER', phone: '+33600000001', email: 'matrix@x.fr', escalationOrder: 90, available24x7: false,
  },
  'POST /api/v1/mobilizations/:id/decline': { reasonCode: 'OTHER' },
};

describe('Authorization matrix: every route × every kind of caller', () => {
  let t: TestApp;
  let world: World;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    world = await World.build(t);
  });
  afterAll(async () => {
    await t.close();
  });

  function outcomeOf(status: number): Outcome | 'server error' {
    if (status >= 500) return 'server error';
    return status === 401 || status === 403 || status === 404 ? (String(status) as Outcome) : 'ok';
  }

  it('matches the reviewed table for every route and caller, and lists every route', async () => {
    const routes = routeTable(t);
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(keys.filter((key) => !(key in AUTHORIZATION_MATRIX))).toEqual([]);
    expect(Object.keys(AUTHORIZATION_MATRIX).filter((key) => !keys.includes(key))).toEqual([]);

    const differences: string[] = [];
    const report: string[] = [`| route | ${CALLERS.join(' | ')} |`, `|---|${CALLERS.map(() => '---').join('|')}|`];
    for (const route of routes) {
      const expected = AUTHORIZATION_MATRIX[`${route.method} ${route.path}`].trim().split(/\s+/);
      const cells: string[] = [];
      // The callers to be refused go first, against the objects as the world built them: a call let
      // through may change an object's state (an acknowledged request cannot be acknowledged again,
      // by anyone), and a refusal found only because of that state would hide a missing ownership check.
      const order = [...CALLERS.keys()].sort((a, b) => Number(expected[a] === 'ok') - Number(expected[b] === 'ok'));
      for (const index of order) {
        const caller = CALLERS[index];
        const request = t.http[route.method.toLowerCase() as 'get'](await world.urlOf(route.path));
        if (world.tokens[caller]) request.set(bearer(world.tokens[caller]!));
        const response = route.method === 'GET' ? await request : await request.send(SAMPLE_BODIES[`${route.method} ${route.path}`] ?? {});
        const actual = outcomeOf(response.status);
        cells[index] = actual === expected[index] ? actual : `**${actual}** (expected ${expected[index]})`;
        if (actual !== expected[index]) differences.push(`${route.method} ${route.path} as ${caller}: ${response.status} (${actual}), expected ${expected[index]}`);
      }
      report.push(`| ${route.method} ${route.path} | ${cells.join(' | ')} |`);
      await world.renewTokens();
    }
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/authorization-matrix.md', `# Authorization matrix\n\n${routes.length} routes × ${CALLERS.length} callers\n\n${report.join('\n')}\n`);
    process.stdout.write(`authorization matrix: ${routes.length} routes × ${CALLERS.length} callers = ${routes.length * CALLERS.length} checks, ${differences.length} differences (reports/authorization-matrix.md)\n`);
    expect(differences).toEqual([]);
  });

  it('refuses a revoked token with 401 AUTH.TOKEN_REVOKED on every route that needs a token, the queue dashboard included', async () => {
    // An ADMIN signed out: its role would let it through anywhere ADMIN may go, so only the revocation refuses.
    const revoked = await t.signedInUser('ADMIN');
    await t.http.post('/api/v1/auth/logout').set(bearer(revoked.token)).expect(204);
    const missed: string[] = [];
    const privateRoutes = routeTable(t).filter((route) => AUTHORIZATION_MATRIX[`${route.method} ${route.path}`].trim().split(/\s+/)[CALLERS.indexOf('NO_TOKEN')] === '401');
    for (const route of privateRoutes) {
      const request = t.http[route.method.toLowerCase() as 'get'](await world.urlOf(route.path)).set(bearer(revoked.token));
      const response = route.method === 'GET' ? await request : await request.send(SAMPLE_BODIES[`${route.method} ${route.path}`] ?? {});
      if (response.status !== 401 || response.body.code !== 'AUTH.TOKEN_REVOKED') missed.push(`${route.method} ${route.path}: ${response.status} ${response.body?.code}`);
    }
    const dashboard = await t.http.get(QUEUE_DASHBOARD_ROUTE).set(bearer(revoked.token));
    if (dashboard.status !== 401) missed.push(`GET ${QUEUE_DASHBOARD_ROUTE}: ${dashboard.status}`);
    expect(privateRoutes.length).toBeGreaterThan(70);
    expect(missed).toEqual([]);
  });
});
