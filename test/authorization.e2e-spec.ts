import { JwtService } from '@nestjs/jwt';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AUTHORIZATION_MATRIX, type Caller, CALLERS, type Outcome } from './authorization-matrix.js';
import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { memberWithUser } from './support/fixtures.js';
import { routeTable } from './support/routes.js';
import { bearer, TEST_JWT_SECRET, TestApp } from './support/test-app.js';

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
  let actors: CrisisActors;
  let own: Responder;
  const ids: Record<string, string> = {};
  const tokens = {} as Record<Caller, string | null>;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    actors = await crisisActors(t);
    const category = await isolatedCategory(t);
    own = await responder(t, actors.directorate, null, { category });
    const other = await memberWithUser(t);
    const { crisisId, activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(actors.minister.token)).expect(200);
    const [request] = await t.db.query(`SELECT id FROM mobilization_request WHERE activation_id = $1`, [activationId]);
    const [convention] = await t.db.query(`SELECT id FROM convention WHERE member_id = $1`, [own.member.id]);
    const offer = await t.http.post('/api/v1/offers').set(bearer(other.user.token)).send({ offeredBy: 'Spontanée SARL', description: 'Phones' }).expect(201);
    Object.assign(ids, {
      members: own.member.id, assets: own.assetIds[0], conventions: convention.id, crises: crisisId, activations: activationId,
      mobilizations: request.id, offers: offer.body.id,
    });
    Object.assign(tokens, {
      ADMIN: await t.adminToken(),
      MEMBER_OWN: own.user.token,
      MEMBER_OTHER: other.user.token,
      DIRECTORATE_PARTY: actors.directorate.token,
      DIRECTORATE_OTHER: (await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' })).token,
      CRISIS_OPERATOR: (await t.signedInUser('CRISIS_OPERATOR')).token,
      MINISTER: (await t.signedInUser('MINISTER')).token,
      AUDITOR: (await t.signedInUser('AUDITOR')).token,
      NO_TOKEN: null,
      EXPIRED: await new JwtService({ secret: TEST_JWT_SECRET }).signAsync(
        { sub: actors.operator.id, role: 'ADMIN', exp: Math.floor(Date.now() / 1000) - 60 },
        { issuer: 'renfort' },
      ),
      FORGED: await new JwtService({ secret: 'a-key-that-is-not-the-service-key-0000000' }).signAsync(
        { sub: actors.operator.id, role: 'ADMIN' },
        { issuer: 'renfort', expiresIn: 600 },
      ),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** The concrete URL of a route, pointing at the objects owned by MEMBER_OWN. */
  async function urlOf(path: string): Promise<string> {
    let url = path.replace(':code', 'DGSCGC');
    if (url.includes(':contactId')) {
      // Each call may delete it: every call gets a contact of its own.
      const [contact] = await t.db.query(
        `INSERT INTO contact (id, member_id, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'Matrix', 'DUTY_OFFICER', '+33600000000', 'm@x.fr',
                 (SELECT coalesce(max(escalation_order), 0) + 1 FROM contact WHERE member_id = $1), true, now(), now()) RETURNING id`,
        [own.member.id],
      );
      url = url.replace(':contactId', contact.id);
    }
    const collection = /^\/api\/v1\/(?:reports\/)?([a-z-]+)\/:id/.exec(url)?.[1];
    return collection ? url.replace(':id', ids[collection]) : url;
  }

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
      for (const [index, caller] of CALLERS.entries()) {
        const request = t.http[route.method.toLowerCase() as 'get'](await urlOf(route.path));
        if (tokens[caller]) request.set(bearer(tokens[caller]!));
        const response = route.method === 'GET' ? await request : await request.send(SAMPLE_BODIES[`${route.method} ${route.path}`] ?? {});
        const actual = outcomeOf(response.status);
        cells.push(actual === expected[index] ? actual : `**${actual}** (expected ${expected[index]})`);
        if (actual !== expected[index]) differences.push(`${route.method} ${route.path} as ${caller}: ${response.status} (${actual}), expected ${expected[index]}`);
      }
      report.push(`| ${route.method} ${route.path} | ${cells.join(' | ')} |`);
    }
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/authorization-matrix.md', `# Authorization matrix\n\n${routes.length} routes × ${CALLERS.length} callers\n\n${report.join('\n')}\n`);
    process.stdout.write(`authorization matrix: ${routes.length} routes × ${CALLERS.length} callers = ${routes.length * CALLERS.length} checks, ${differences.length} differences (reports/authorization-matrix.md)\n`);
    expect(differences).toEqual([]);
  });
});
