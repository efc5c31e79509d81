import { bearer, TestApp } from './support/test-app.js';

describe('Queue dashboard (Bull Board) at /admin/queues', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without a valid token, in the one error shape', async () => {
    const missing = await t.http.get('/admin/queues').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_MISSING' });
    const forged = await t.http.get('/admin/queues/api/queues').set(bearer('not.a.token')).expect(401);
    expect(forged.body).toMatchObject({ statusCode: 401, code: 'AUTH.TOKEN_INVALID' });
  });

  it('answers 403 to every role but ADMIN, on the page and on its API', async () => {
    for (const role of ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR'] as const) {
      const { token } = await t.signedInUser(role);
      const page = await t.http.get('/admin/queues').set(bearer(token)).expect(403);
      expect(page.body).toMatchObject({ statusCode: 403, code: 'AUTH.ROLE_NOT_ALLOWED' });
      await t.http.get('/admin/queues/api/queues').set(bearer(token)).expect(403);
    }
  });

  it('shows every queue of the service to an ADMIN', async () => {
    const admin = await t.adminToken();
    const page = await t.http.get('/admin/queues').set(bearer(admin)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await t.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    expect(api.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
      ['convention-calendar', 'domain-events', 'escalations', 'idempotency-purge', 'notification-sweeps', 'notifications'],
    );
  });

  it('is not under the API prefix', async () => {
    await t.http.get('/api/v1/admin/queues').set(bearer(await t.adminToken())).expect(404);
  });
});
