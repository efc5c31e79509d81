import { ConfigurationError, loadAppConfig } from './app-config.js';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_EMAIL: 'delegation@interieur.example.fr',
  ADMIN_PASSWORD: 'a strong admin password',
  DATABASE_URL: 'postgres://db/renfort',
  REDIS_URL: 'redis://cache',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key',
};

/** The problems a configuration has about the second factor, whatever else it lacks. */
function secondFactorProblems(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigurationError).problems.filter((problem) => /MFA/.test(problem));
  }
}

describe('Second factor settings', () => {
  it('asks MINISTER and ADMIN users for a second factor in production, and a recent one to authorize, by default', () => {
    expect(loadAppConfig(production).mfa).toEqual({
      encryptionKey: null,
      requiredRoles: ['MINISTER', 'ADMIN'],
      authorizationRequiresMfa: true,
      stepUpWindowSeconds: 900,
    });
  });

  it('asks nobody outside production unless told', () => {
    expect(loadAppConfig({}).mfa).toEqual({ encryptionKey: null, requiredRoles: [], authorizationRequiresMfa: false, stepUpWindowSeconds: 900 });
    expect(loadAppConfig({ MFA_REQUIRED_ROLES: 'MINISTER', AUTHORIZATION_REQUIRES_MFA: 'true', MFA_STEP_UP_WINDOW: '5m' }).mfa).toMatchObject({
      requiredRoles: ['MINISTER'],
      authorizationRequiresMfa: true,
      stepUpWindowSeconds: 300,
    });
  });

  it('refuses AUTHORIZATION_REQUIRES_MFA=false in production', () => {
    expect(secondFactorProblems({ ...production, AUTHORIZATION_REQUIRES_MFA: 'false' })).toEqual(['AUTHORIZATION_REQUIRES_MFA cannot be turned off in production']);
    expect(secondFactorProblems({ ...production, AUTHORIZATION_REQUIRES_MFA: 'true' })).toEqual([]);
    // Outside production it may be off, and is by default.
    expect(loadAppConfig({ AUTHORIZATION_REQUIRES_MFA: 'false' }).mfa.authorizationRequiresMfa).toBe(false);
  });

  it.each(['ADMIN', 'MINISTER', 'CRISIS_OPERATOR,AUDITOR'])('refuses MFA_REQUIRED_ROLES=%s in production: it must include MINISTER and ADMIN', (roles) => {
    expect(secondFactorProblems({ ...production, MFA_REQUIRED_ROLES: roles })).toEqual(['MFA_REQUIRED_ROLES must include MINISTER and ADMIN in production']);
    expect(secondFactorProblems({ MFA_REQUIRED_ROLES: roles })).toEqual([]);
  });

  it('accepts more roles than MINISTER and ADMIN in production', () => {
    expect(loadAppConfig({ ...production, MFA_REQUIRED_ROLES: 'ADMIN, MINISTER,CRISIS_OPERATOR' }).mfa.requiredRoles).toEqual(['ADMIN', 'MINISTER', 'CRISIS_OPERATOR']);
  });

  it.each([
    ['MFA_REQUIRED_ROLES', 'MINISTRE'],
    ['MFA_REQUIRED_ROLES', 'MINISTER;ADMIN'],
    ['AUTHORIZATION_REQUIRES_MFA', 'sometimes'],
    ['MFA_STEP_UP_WINDOW', 'a quarter hour'],
    ['MFA_STEP_UP_WINDOW', '0'],
    ['MFA_ENCRYPTION_KEY', 'too-short'],
    ['MFA_ENCRYPTION_KEY', 'ab'.repeat(31)],
  ])('stops start-up on a wrong %s (%s), naming it', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(name);
  });

  it('reads MFA_ENCRYPTION_KEY as 32 bytes, in hexadecimal or base64', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadAppConfig({ MFA_ENCRYPTION_KEY: key.toString('hex') }).mfa.encryptionKey).toEqual(key);
    expect(loadAppConfig({ MFA_ENCRYPTION_KEY: key.toString('base64') }).mfa.encryptionKey).toEqual(key);
  });
});
