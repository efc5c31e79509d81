import { routeTable } from './support/routes.js';
import { bearer, TestApp } from './support/test-app.js';

describe('AUDITOR reads everything and changes nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('gets 403 on every command endpoint of the route table', async () => {
    const auditor = (await t.signedInUser('AUDITOR')).token;
    const routes = routeTable(t).filter((route) => route.method !== 'GET' && !route.isPublic);
    // Every signed-in user looks after its own account (sign out, change its password, its second factor): nothing of the registry changes.
    const ownAccount = routes.filter((route) => route.roles?.includes('AUDITOR')).map((route) => `${route.method} ${route.path}`);
    // Signing a checkpoint of the audit head changes no record: it vouches for the log as it stands.
    expect(ownAccount).toContain('POST /api/v1/audit/checkpoints');
    ownAccount.splice(ownAccount.indexOf('POST /api/v1/audit/checkpoints'), 1);
    expect(ownAccount.sort()).toEqual([
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/oidc/logout',
      'POST /api/v1/auth/step-up',
      'POST /api/v1/users/me/mfa/totp',
      'POST /api/v1/users/me/mfa/totp/confirm',
      'POST /api/v1/users/me/password',
    ]);
    const commands = routes.filter((route) => !route.roles?.includes('AUDITOR'));
    expect(commands.length).toBeGreaterThan(40);
    const allowed: string[] = [];
    for (const route of commands) {
      const url = route.path.replace(/:code\b/g, 'DGSCGC').replace(/:[A-Za-z]+/g, '7b0d3f0e-6a43-4c4e-9a8e-0d0f3b0f7a11');
      const response = await t.http[route.method.toLowerCase() as 'post'](url).set(bearer(auditor)).send({});
      if (response.status !== 403) allowed.push(`${route.method} ${route.path} (${route.handler}) → ${response.status}`);
    }
    expect(allowed).toEqual([]);
    process.stdout.write(`auditor: ${commands.length} command routes checked, all 403\n`);
  });
});
