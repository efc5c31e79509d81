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
  'POST /api/v1/members/:id/contacts/:contactId/verify': { method: 'email' },
  'POST /api/v1/members/:id/contacts/:contactId/verify/confirm': { method: 'email', code: '000000' },
  'POST /api/v1/members/:id/contacts/:contactId/test': { method: 'email' },
  'POST /api/v1/directorates/:code/contacts/:contactId/verify': { method: 'email' },
  'POST /api/v1/directorates/:code/contacts/:contactId/verify/confirm': { method: 'email', code: '000000' },
  'POST /api/v1/directorates/:code/contacts/:contactId/test': { method: 'email' },
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

  // Each way a caller's access ends, for an ADMIN: its role would let it through anywhere ADMIN may
  // go, so only the revocation refuses. Sessions (the browser cookie) are ended the same way.
  const ENDINGS: { name: string; end: (caller: { id: string; email: string; token: string }, admin: string) => Promise<unknown> }[] = [
    { name: 'signed out', end: (caller) => t.http.post('/api/v1/auth/logout').set(bearer(caller.token)).expect(204) },
    { name: 'disabled', end: (caller, admin) => t.http.post(`/api/v1/users/${caller.id}/disable`).set(bearer(admin)).expect(200) },
    { name: 'given another role', end: (caller, admin) => t.http.patch(`/api/v1/users/${caller.id}`).set(bearer(admin)).send({ role: 'AUDITOR' }).expect(200) },
    {
      name: 'whose password changed',
      end: (caller) =>
        t.http.post('/api/v1/users/me/password').set(bearer(caller.token)).send({ currentPassword: 'a long enough password', newPassword: 'crue-de-la-roya-vesubie-2027' }).expect(204),
    },
  ];

  it.each(ENDINGS.map((ending) => [ending.name, ending] as const))(
    'refuses a caller %s, by token and by session, with 401 on every route that needs one, the queue dashboard included',
    async (_name, ending) => {
      const caller = await t.signedInUser('ADMIN');
      const opened = await t.http.post('/api/v1/auth/session').send({ email: caller.email, password: 'a long enough password' }).expect(200);
      const cookie = [opened.headers['set-cookie']].flat().find((line: string) => line.startsWith('renfort_session='))!.split(';')[0];
      await ending.end(caller, await t.adminToken());

      const missed: string[] = [];
      const privateRoutes = routeTable(t).filter((route) => (AUTHORIZATION_MATRIX[`${route.method} ${route.path}`] ?? '').trim().split(/\s+/)[CALLERS.indexOf('NO_TOKEN')] === '401');
      for (const route of privateRoutes) {
        for (const via of ['token', 'session'] as const) {
          const request = t.http[route.method.toLowerCase() as 'get'](await world.urlOf(route.path));
          if (via === 'token') request.set(bearer(caller.token));
          else request.set('cookie', cookie).set('host', 'renfort.example.fr').set('origin', 'https://renfort.example.fr');
          const response = route.method === 'GET' ? await request : await request.send(SAMPLE_BODIES[`${route.method} ${route.path}`] ?? {});
          if (response.status !== 401 || response.body.code !== 'AUTH.TOKEN_REVOKED') missed.push(`${route.method} ${route.path} by ${via}: ${response.status} ${response.body?.code}`);
        }
      }
      for (const credentials of [bearer(caller.token), { cookie }]) {
        const dashboard = await t.http.get(QUEUE_DASHBOARD_ROUTE).set(credentials);
        if (dashboard.status !== 401) missed.push(`GET ${QUEUE_DASHBOARD_ROUTE}: ${dashboard.status}`);
      }
      expect(privateRoutes.length).toBeGreaterThan(70);
      expect(missed).toEqual([]);
    },
  );
});
