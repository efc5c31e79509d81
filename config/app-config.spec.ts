import { ConfigurationError, DEVELOPMENT_JWT_SECRET, loadAppConfig, PUBLISHED_SECRETS } from './app-config.js';

const strongSecret = 'x'.repeat(40);

describe('loadAppConfig', () => {
  it('runs embedded by default: no database or Redis server, data in .renfort/', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      redisUrl: null,
      embeddedDataDir: '.renfort/pgdata',
      runMigrations: true,
      runWorkers: true,
      logLevel: 'info',
    });
    expect(config.jwt.ttlSeconds).toBe(3600);
  });

  it('reads every documented variable', () => {
    const config = loadAppConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://app@db:5432/renfort',
      REDIS_URL: 'rediss://cache:6380/2',
      JWT_SECRET: strongSecret,
      JWT_TTL: '15m',
      ADMIN_EMAIL: 'Delegation@Interieur.Gouv.Fr',
      ADMIN_PASSWORD: 'a strong admin password',
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      RUN_WORKERS: '0',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://app@db:5432/renfort',
      redisUrl: 'rediss://cache:6380/2',
      jwt: { secret: strongSecret, ttlSeconds: 900 },
      bootstrapAdmin: { email: 'delegation@interieur.gouv.fr', password: 'a strong admin password' },
      logLevel: 'warn',
      runMigrations: false,
      runWorkers: false,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/renfort'],
    ['REDIS_URL', 'localhost:6379'],
    ['JWT_SECRET', 'short'],
    ['JWT_TTL', 'one hour'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'verbose'],
    ['RUN_MIGRATIONS', 'maybe'],
    ['RUN_WORKERS', 'yes please'],
  ])('stops start-up on a wrong %s (%s), naming it', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(name);
  });

  it('names every wrong setting at once', () => {
    try {
      loadAppConfig({ PORT: 'x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect((error as ConfigurationError).problems.join(' ')).toMatch(/PORT.*LOG_LEVEL|LOG_LEVEL.*PORT/);
    }
  });

  it('refuses in production every secret value published with Renfort, for the signing key and the admin password', () => {
    const production = { NODE_ENV: 'production', ADMIN_EMAIL: 'a@b.fr', DATABASE_URL: 'postgres://db/renfort', REDIS_URL: 'redis://cache' };
    for (const published of PUBLISHED_SECRETS.filter((value) => value.length >= 32)) {
      expect(() => loadAppConfig({ ...production, JWT_SECRET: published, ADMIN_PASSWORD: 'a strong admin password' })).toThrow(/JWT_SECRET must not be/);
    }
    for (const published of PUBLISHED_SECRETS) {
      expect(() => loadAppConfig({ ...production, JWT_SECRET: strongSecret, ADMIN_PASSWORD: published })).toThrow(/ADMIN_PASSWORD must not be a value published/);
    }
    // Outside production the development defaults stay usable: the zero-install trial needs them.
    expect(loadAppConfig({ ADMIN_PASSWORD: 'renfort-admin-dev-password' }).bootstrapAdmin.password).toBe('renfort-admin-dev-password');
  });

  it('requires a strong secret and the admin credentials in production, never the development default', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(() =>
      loadAppConfig({
        NODE_ENV: 'production',
        JWT_SECRET: DEVELOPMENT_JWT_SECRET,
        ADMIN_EMAIL: 'a@b.fr',
        ADMIN_PASSWORD: 'a strong admin password',
        DATABASE_URL: 'postgres://db/renfort',
        REDIS_URL: 'redis://cache',
      }),
    ).toThrow(/development default/);
    const config = loadAppConfig({
      NODE_ENV: 'production',
      JWT_SECRET: strongSecret,
      ADMIN_EMAIL: 'a@b.fr',
      ADMIN_PASSWORD: 'a strong admin password',
      DATABASE_URL: 'postgres://db/renfort',
      REDIS_URL: 'redis://cache',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
    });
    expect(config.nodeEnv).toBe('production');
  });

  it('requires the audit checkpoint signing key in production, and reads the checkpoint settings', () => {
    const production = {
      NODE_ENV: 'production', JWT_SECRET: strongSecret, ADMIN_EMAIL: 'a@b.fr', ADMIN_PASSWORD: 'a strong admin password',
      DATABASE_URL: 'postgres://db/renfort', REDIS_URL: 'redis://cache',
    };
    expect(() => loadAppConfig(production)).toThrow(/AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production/);
    expect(loadAppConfig({}).auditCheckpoint).toEqual({ intervalMs: 300_000, signingKeyFile: null, file: null });
    expect(loadAppConfig({ AUDIT_CHECKPOINT_INTERVAL: '1h', AUDIT_CHECKPOINT_FILE: '/var/lib/renfort/checkpoints.ndjson' }).auditCheckpoint)
      .toMatchObject({ intervalMs: 3_600_000, file: '/var/lib/renfort/checkpoints.ndjson' });
    expect(() => loadAppConfig({ AUDIT_CHECKPOINT_INTERVAL: '5s' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL must be at least 10 seconds/);
    expect(() => loadAppConfig({ AUDIT_CHECKPOINT_INTERVAL: 'often' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL must be a duration/);
  });

  it('refuses the embedded database and PostgreSQL-backed queues in production', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: strongSecret, ADMIN_EMAIL: 'a@b.fr', ADMIN_PASSWORD: 'a strong admin password' };
    expect(() => loadAppConfig(production)).toThrow(/DATABASE_URL is required when NODE_ENV=production \(the embedded database is not for production\).*REDIS_URL is required/);
  });

  it('keeps the embedded database where EMBEDDED_DATA_DIR says, or in memory', () => {
    expect(loadAppConfig({ EMBEDDED_DATA_DIR: '/var/tmp/renfort' }).embeddedDataDir).toBe('/var/tmp/renfort');
    expect(loadAppConfig({ EMBEDDED_DATA_DIR: 'memory://' }).embeddedDataDir).toBe('memory://');
    expect(() => loadAppConfig({ EMBEDDED_DATA_DIR: 'two words' })).toThrow(/EMBEDDED_DATA_DIR must be a directory path or memory:\/\//);
  });

  it('refuses to leave the embedded database\'s queues without workers', () => {
    expect(() => loadAppConfig({ RUN_WORKERS: 'false' })).toThrow(/RUN_WORKERS=false needs DATABASE_URL/);
    expect(loadAppConfig({ RUN_WORKERS: 'false', DATABASE_URL: 'postgres://db/renfort' }).runWorkers).toBe(false);
  });

  it('sweeps escalations every 5 s unless ESCALATION_SWEEP_MS says otherwise, from 100 ms to 10 min', () => {
    expect(loadAppConfig({}).escalation).toEqual({ sweepMs: 5000 });
    expect(loadAppConfig({ ESCALATION_SWEEP_MS: '1000' }).escalation).toEqual({ sweepMs: 1000 });
    expect(() => loadAppConfig({ ESCALATION_SWEEP_MS: '50' })).toThrow(/ESCALATION_SWEEP_MS must not be less than 100/);
    expect(() => loadAppConfig({ ESCALATION_SWEEP_MS: 'often' })).toThrow(/ESCALATION_SWEEP_MS/);
  });
});
