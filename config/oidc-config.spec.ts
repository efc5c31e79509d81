import { ConfigurationError, loadAppConfig } from './app-config.js';
import { PROCONNECT_DEFAULT_SCOPES } from './oidc-config.js';

const PROCONNECT = {
  OIDC_ISSUER: 'https://identite.example.gouv.fr/api/v2',
  OIDC_CLIENT_ID: 'renfort-client-id',
  OIDC_CLIENT_SECRET: 'renfort-client-secret',
  OIDC_REDIRECT_URI: 'https://renfort.interieur.gouv.fr/api/v1/auth/oidc/callback',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('OpenID Connect settings', () => {
  it('are absent unless configured: the sign-in routes answer 404', () => {
    expect(loadAppConfig({}).oidc).toBeNull();
  });

  it('read the four required settings, with ProConnect\'s scopes by default', () => {
    expect(loadAppConfig(PROCONNECT).oidc).toEqual({
      issuer: PROCONNECT.OIDC_ISSUER,
      clientId: 'renfort-client-id',
      clientSecret: 'renfort-client-secret',
      redirectUri: PROCONNECT.OIDC_REDIRECT_URI,
      scopes: PROCONNECT_DEFAULT_SCOPES,
      postLogoutRedirectUri: null,
      allowInsecureHttp: false,
    });
    expect(PROCONNECT_DEFAULT_SCOPES).toBe('openid email given_name usual_name');
  });

  it('read the optional scopes and post-logout address', () => {
    const oidc = loadAppConfig({ ...PROCONNECT, OIDC_SCOPES: 'openid  email', OIDC_POST_LOGOUT_REDIRECT_URI: 'https://renfort.interieur.gouv.fr/' }).oidc;
    expect(oidc).toMatchObject({ scopes: 'openid email', postLogoutRedirectUri: 'https://renfort.interieur.gouv.fr/' });
  });

  it.each(Object.keys(PROCONNECT))('stop start-up when %s alone is missing, naming it', (name) => {
    const problems = problemsOf({ ...PROCONNECT, [name]: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name} is missing`);
  });

  it('stop start-up on an optional setting given without the required ones, naming them all', () => {
    const [problem] = problemsOf({ OIDC_SCOPES: 'openid email' });
    expect(problem).toContain('OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI are missing');
  });

  it.each([
    ['OIDC_ISSUER', 'http://provider.example', 'must use https'],
    ['OIDC_ISSUER', 'not a url', 'absolute http(s) URL'],
    ['OIDC_REDIRECT_URI', 'https://renfort.example/elsewhere', 'ending in /api/v1/auth/oidc/callback'],
    ['OIDC_SCOPES', 'email given_name', 'must include openid'],
    ['OIDC_ALLOW_INSECURE_HTTP', 'perhaps', 'true or false'],
  ])('stop start-up on a wrong %s (%s)', (name, value, problem) => {
    expect(problemsOf({ ...PROCONNECT, [name]: value }).join('; ')).toContain(problem);
  });

  it('allow a plain-http provider for tests, never in production', () => {
    const local = { ...PROCONNECT, OIDC_ISSUER: 'http://127.0.0.1:4000', OIDC_ALLOW_INSECURE_HTTP: 'true' };
    expect(loadAppConfig(local).oidc).toMatchObject({ issuer: 'http://127.0.0.1:4000', allowInsecureHttp: true });
    expect(problemsOf({ ...local, NODE_ENV: 'production' })).toContain('OIDC_ALLOW_INSECURE_HTTP cannot be turned on in production');
  });
});
