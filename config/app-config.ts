import 'reflect-metadata';
import { passwordWeakness } from '../src/identity/domain/password-policy.js';
import { type Role, ROLES } from '../src/common/auth/role.js';
import { type OidcSettings, readOidcSettings } from './oidc-config.js';
import { type ChannelSettings, readChannelSettings } from './channels-config.js';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  IsEmail,
  validateSync,
  type ValidationError,
} from 'class-validator';

/**
 * Typed configuration of the service, read once from the environment at start-up.
 * An abstract class so that it serves as its own dependency-injection token.
 */
export abstract class AppConfig {
  abstract readonly nodeEnv: 'development' | 'production' | 'test';
  abstract readonly port: number;
  /** PostgreSQL server to use; null: the embedded database (PGlite) in `embeddedDataDir`. */
  abstract readonly databaseUrl: string | null;
  /** Redis server for the queues; null: BullMQ runs on its PostgreSQL backend, in the same database. */
  abstract readonly redisUrl: string | null;
  abstract readonly embeddedDataDir: string;
  abstract readonly jwt: { readonly secret: string; readonly ttlSeconds: number };
  /** Lifetime of a browser session (the web console's cookie), from its sign-in. */
  abstract readonly sessionTtlSeconds: number;
  abstract readonly bootstrapAdmin: { readonly email: string; readonly password: string };
  abstract readonly logLevel: LogLevel;
  abstract readonly runMigrations: boolean;
  abstract readonly runWorkers: boolean;
  abstract readonly queuePrefix: string;
  abstract readonly passwordHashCost: number;
  /**
   * Password hashes computed at once, and how many more may wait: scrypt runs on libuv's thread
   * pool, which DNS look-ups and file reads share, so hashing must leave some of it free.
   */
  abstract readonly passwordHashing: { readonly concurrency: number; readonly queue: number };
  /** `emailLimit`: attempts on one email from all addresses together, per window. */
  abstract readonly loginThrottle: { readonly limit: number; readonly ttlSeconds: number; readonly emailLimit: number };
  abstract readonly idempotencyTtlHours: number;
  abstract readonly relay: { readonly intervalMs: number; readonly batchSize: number };
  /** How often the workers escalate, set-based, every request whose acknowledgement deadline passed (ESCALATION_SWEEP_MS). */
  abstract readonly escalation: { readonly sweepMs: number };
  abstract readonly bodyLimitBytes: number;
  /** What any request body may hold, checked before anything reads it: see src/common/http/body-shape.ts. */
  abstract readonly bodyShape: { readonly publicLimitBytes: number; readonly maxKeys: number; readonly maxArrayLength: number };
  abstract readonly readinessMaxAgeDays: number;
  abstract readonly webhook: {
    readonly attempts: number;
    readonly backoffMs: number;
    /** Hosts whose webhooks may reach non-public addresses (on-premises receivers); https still required in production. */
    readonly allowedHosts: readonly string[];
    /** How long a rotated-out secret keeps signing beside the new one; 0: not at all. */
    readonly secretGraceSeconds: number;
  };
  abstract readonly commandThrottle: { readonly limit: number; readonly ttlSeconds: number };
  abstract readonly requestTimeoutMs: number;
  abstract readonly corsOrigins: string[];
  /**
   * Signed checkpoints of the audit chain's head. `signingKeyFile`: the Ed25519 private key (PEM
   * PKCS#8); null outside production: one generated beside the embedded data directory.
   * `file`: JSON lines the checkpoints are also appended to, outside the database; null: none.
   */
  abstract readonly auditCheckpoint: { readonly intervalMs: number; readonly signingKeyFile: string | null; readonly file: string | null };
  /**
   * The second factor (TOTP): `encryptionKey` encrypts the secrets at rest (32 bytes; null: derived
   * from the JWT secret), `requiredRoles` must enrol one before anything else, and authorizing an
   * activation asks for one checked within `stepUpWindowSeconds` when `authorizationRequiresMfa`.
   */
  abstract readonly mfa: {
    readonly encryptionKey: Buffer | null;
    readonly requiredRoles: readonly Role[];
    readonly authorizationRequiresMfa: boolean;
    readonly stepUpWindowSeconds: number;
  };
  /** Sign-in through an OpenID Connect provider (ProConnect); null: not offered (its routes answer 404). */
  abstract readonly oidc: OidcSettings | null;
  /** Email (SMTP) and SMS (SMPP) to reach people; a channel left null is not offered. See config/channels-config.ts. */
  abstract readonly channels: ChannelSettings;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Only for development and tests: production refuses to start with it. */
export const DEVELOPMENT_JWT_SECRET = 'renfort-development-secret-not-for-production-use';
const DEVELOPMENT_ADMIN_PASSWORD = 'renfort-admin-dev-password';

/**
 * Every default secret value this repository publishes (the development defaults, README's
 * walkthrough, the demo, the earlier compose file): anyone can read them, so production refuses
 * each of them, whichever setting it is given to.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  DEVELOPMENT_JWT_SECRET,
  DEVELOPMENT_ADMIN_PASSWORD,
  'renfort-demo-password',
  'walkthrough-password',
  'trial-only-secret-replace-me-before-real-use-000000',
  'trial-only-admin-password',
];

const toBoolean = ({ value, key }: { value: unknown; key: string }) => {
  if (value === undefined || typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return `invalid boolean for ${key}`;
};
const toInteger = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value).trim()) ? Number(value) : value;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsString() @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional() @IsString() @Matches(/^(memory:\/\/|[^\s]+)$/, { message: 'EMBEDDED_DATA_DIR must be a directory path or memory://' })
  EMBEDDED_DATA_DIR?: string;

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @IsOptional() @IsString() @Matches(/^\d+[smhd]?$/, { message: 'JWT_TTL must be a duration such as 900, 900s, 15m, 8h or 1d' })
  JWT_TTL?: string;

  @IsOptional() @IsString() @Matches(/^\d+[smhd]?$/, { message: 'SESSION_TTL must be a duration such as 900, 900s, 15m, 8h or 1d' })
  SESSION_TTL?: string;

  @IsOptional() @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  ADMIN_PASSWORD?: string;

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional() @Transform(toBoolean)
  RUN_MIGRATIONS?: boolean | string;

  @IsOptional() @Transform(toBoolean)
  RUN_WORKERS?: boolean | string;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, _ or -' })
  QUEUE_PREFIX?: string;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(10) @Max(20)
  PASSWORD_HASH_COST?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1023)
  PASSWORD_HASH_CONCURRENCY?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(10000)
  PASSWORD_HASH_QUEUE?: number;

  /** Read by libuv itself, at the pool's first use; here only to check PASSWORD_HASH_CONCURRENCY against it. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1024)
  UV_THREADPOOL_SIZE?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(10000)
  LOGIN_THROTTLE_LIMIT?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(86400)
  LOGIN_THROTTLE_TTL_SECONDS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(100000)
  LOGIN_THROTTLE_EMAIL_LIMIT?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(720)
  IDEMPOTENCY_TTL_HOURS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(10) @Max(60000)
  RELAY_INTERVAL_MS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(10000)
  RELAY_BATCH_SIZE?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(100) @Max(600000)
  ESCALATION_SWEEP_MS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1024) @Max(104857600)
  BODY_LIMIT_BYTES?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(256) @Max(1048576)
  PUBLIC_BODY_LIMIT_BYTES?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(10) @Max(100000)
  BODY_MAX_KEYS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(10) @Max(100000)
  BODY_MAX_ARRAY_LENGTH?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(3650)
  READINESS_MAX_AGE_DAYS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(50)
  WEBHOOK_ATTEMPTS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(10) @Max(600000)
  WEBHOOK_BACKOFF_MS?: number;

  @IsOptional() @IsString() @Matches(/^\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(\s*,\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]))*\s*$/, {
    message: 'WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host names (or IP addresses, IPv6 in brackets)',
  })
  WEBHOOK_ALLOWED_HOSTS?: string;

  @IsOptional() @IsString() @Matches(/^\d+[smhd]?$/, { message: 'WEBHOOK_SECRET_GRACE must be a duration such as 0, 3600, 90m, 24h or 7d' })
  WEBHOOK_SECRET_GRACE?: string;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(10000000)
  COMMAND_THROTTLE_LIMIT?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(86400)
  COMMAND_THROTTLE_TTL_SECONDS?: number;

  @IsOptional() @Transform(toInteger) @IsInt() @Min(1000) @Max(600000)
  REQUEST_TIMEOUT_MS?: number;

  @IsOptional() @IsString() @Matches(/^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/, { message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS?: string;

  @IsOptional() @IsString() @Matches(/^\d+[smhd]?$/, { message: 'AUDIT_CHECKPOINT_INTERVAL must be a duration such as 300, 300s, 5m or 1h' })
  AUDIT_CHECKPOINT_INTERVAL?: string;

  @IsOptional() @IsString() @Matches(/^[^\s]+$/, { message: 'AUDIT_SIGNING_KEY_FILE must be a file path' })
  AUDIT_SIGNING_KEY_FILE?: string;

  @IsOptional() @IsString() @Matches(/^[^\s]+$/, { message: 'AUDIT_CHECKPOINT_FILE must be a file path' })
  AUDIT_CHECKPOINT_FILE?: string;

  @IsOptional() @IsString() @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'MFA_ENCRYPTION_KEY must be 32 bytes, as 64 hexadecimal digits or 44 characters of base64 (openssl rand -hex 32)',
  })
  MFA_ENCRYPTION_KEY?: string;

  @IsOptional() @IsString() @Matches(new RegExp(`^\\s*(${ROLES.join('|')})(\\s*,\\s*(${ROLES.join('|')}))*\\s*$`), {
    message: `MFA_REQUIRED_ROLES must be a comma-separated list of roles among ${ROLES.join(', ')}`,
  })
  MFA_REQUIRED_ROLES?: string;

  @IsOptional() @Transform(toBoolean)
  AUTHORIZATION_REQUIRES_MFA?: boolean | string;

  @IsOptional() @IsString() @Matches(/^\d+[smhd]?$/, { message: 'MFA_STEP_UP_WINDOW must be a duration such as 300, 300s, 15m or 1h' })
  MFA_STEP_UP_WINDOW?: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
}

function durationToSeconds(duration: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(duration)!;
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}

/**
 * Reads and validates the configuration. Throws a ConfigurationError naming every
 * wrong setting, so that start-up stops before anything connects.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const vars = plainToInstance(EnvironmentVariables, raw, { excludeExtraneousValues: false });
  const problems = describe(validateSync(vars, { skipMissingProperties: false }));
  for (const key of ['RUN_MIGRATIONS', 'RUN_WORKERS', 'AUTHORIZATION_REQUIRES_MFA'] as const) {
    const value = vars[key];
    if (value !== undefined && !isBoolean(value)) problems.push(`${key} must be true or false`);
  }

  const nodeEnv = vars.NODE_ENV ?? 'development';
  if (nodeEnv === 'production') {
    if (!vars.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production');
    else if (vars.JWT_SECRET === DEVELOPMENT_JWT_SECRET) problems.push('JWT_SECRET must not be the development default in production');
    else if (PUBLISHED_SECRETS.includes(vars.JWT_SECRET)) problems.push('JWT_SECRET must not be a value published with Renfort (README, docs, demo) in production');
    if (!vars.ADMIN_EMAIL) problems.push('ADMIN_EMAIL is required when NODE_ENV=production');
    if (!vars.ADMIN_PASSWORD) problems.push('ADMIN_PASSWORD is required when NODE_ENV=production');
    else if (PUBLISHED_SECRETS.includes(vars.ADMIN_PASSWORD)) problems.push('ADMIN_PASSWORD must not be a value published with Renfort (README, docs, demo) in production');
    // Outside production the bootstrap ADMIN may keep a short development password; here it meets the policy.
    else {
      const weakness = passwordWeakness(vars.ADMIN_PASSWORD, vars.ADMIN_EMAIL ?? '');
      if (weakness) problems.push(`ADMIN_PASSWORD ${weakness} (password policy) in production`);
    }
    // The embedded database and PostgreSQL-backed queues are for trying the service, not for production.
    if (!vars.DATABASE_URL) problems.push('DATABASE_URL is required when NODE_ENV=production (the embedded database is not for production)');
    if (!vars.REDIS_URL) problems.push('REDIS_URL is required when NODE_ENV=production');
    // A key generated on the server's own disk would sign whatever an intruder there wants.
    if (!vars.AUDIT_SIGNING_KEY_FILE) problems.push('AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production (the Ed25519 key that signs audit checkpoints)');
    // Those who decide and those who run the registry prove who they are twice, and the ministerial decision asks for it again.
    const requiredRoles = rolesOf(vars.MFA_REQUIRED_ROLES);
    if (requiredRoles && !(['MINISTER', 'ADMIN'] as const).every((role) => requiredRoles.includes(role))) {
      problems.push('MFA_REQUIRED_ROLES must include MINISTER and ADMIN in production');
    }
    if (vars.AUTHORIZATION_REQUIRES_MFA === false) problems.push('AUTHORIZATION_REQUIRES_MFA cannot be turned off in production');
  }
  if (vars.MFA_STEP_UP_WINDOW !== undefined && /^0+[smhd]?$/.test(vars.MFA_STEP_UP_WINDOW)) {
    problems.push('MFA_STEP_UP_WINDOW must be longer than zero');
  }
  // A secret rotated out for a leak must stop signing within days, not live on beside the new one.
  if (vars.WEBHOOK_SECRET_GRACE !== undefined && /^\d+[smhd]?$/.test(vars.WEBHOOK_SECRET_GRACE) && durationToSeconds(vars.WEBHOOK_SECRET_GRACE) > 30 * 86400) {
    problems.push('WEBHOOK_SECRET_GRACE must be at most 30 days');
  }
  if (vars.AUDIT_CHECKPOINT_INTERVAL !== undefined && /^\d+[smhd]?$/.test(vars.AUDIT_CHECKPOINT_INTERVAL) && durationToSeconds(vars.AUDIT_CHECKPOINT_INTERVAL) < 10) {
    problems.push('AUDIT_CHECKPOINT_INTERVAL must be at least 10 seconds');
  }
  if (!vars.DATABASE_URL && vars.RUN_WORKERS === false) {
    // Nothing else can open the embedded database: its queues would never be worked.
    problems.push('RUN_WORKERS=false needs DATABASE_URL: with the embedded database no other process can run the workers');
  }
  const threadPoolSize = vars.UV_THREADPOOL_SIZE ?? 4;
  if ((vars.PASSWORD_HASH_CONCURRENCY ?? 2) >= threadPoolSize) {
    // Hashes filling the whole pool would leave DNS look-ups (webhook deliveries) waiting behind them.
    problems.push(`PASSWORD_HASH_CONCURRENCY must be below the thread pool size (UV_THREADPOOL_SIZE, ${threadPoolSize})`);
  }
  const oidc = readOidcSettings(raw, nodeEnv, problems);
  const channels = readChannelSettings(raw, nodeEnv, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);

  return {
    nodeEnv,
    port: vars.PORT ?? 3000,
    databaseUrl: vars.DATABASE_URL ?? null,
    redisUrl: vars.REDIS_URL ?? null,
    embeddedDataDir: vars.EMBEDDED_DATA_DIR ?? '.renfort/pgdata',
    jwt: { secret: vars.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET, ttlSeconds: durationToSeconds(vars.JWT_TTL ?? '1h') },
    sessionTtlSeconds: durationToSeconds(vars.SESSION_TTL ?? '8h'),
    bootstrapAdmin: {
      email: (vars.ADMIN_EMAIL ?? 'admin@renfort.local').toLowerCase(),
      password: vars.ADMIN_PASSWORD ?? DEVELOPMENT_ADMIN_PASSWORD,
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    runMigrations: (vars.RUN_MIGRATIONS as boolean | undefined) ?? true,
    runWorkers: (vars.RUN_WORKERS as boolean | undefined) ?? true,
    queuePrefix: vars.QUEUE_PREFIX ?? 'renfort',
    passwordHashCost: vars.PASSWORD_HASH_COST ?? 16,
    // Two hashes at once leave half of libuv's default pool (4) free; sixteen waiting bound a
    // sign-in's wait to eight hash times (1-3 s at cost 16) before a flood is answered 503.
    passwordHashing: { concurrency: vars.PASSWORD_HASH_CONCURRENCY ?? 2, queue: vars.PASSWORD_HASH_QUEUE ?? 16 },
    loginThrottle: {
      limit: vars.LOGIN_THROTTLE_LIMIT ?? 10,
      ttlSeconds: vars.LOGIN_THROTTLE_TTL_SECONDS ?? 60,
      // An account tried from three addresses at their full pace, by default.
      emailLimit: vars.LOGIN_THROTTLE_EMAIL_LIMIT ?? 3 * (vars.LOGIN_THROTTLE_LIMIT ?? 10),
    },
    idempotencyTtlHours: vars.IDEMPOTENCY_TTL_HOURS ?? 24,
    relay: { intervalMs: vars.RELAY_INTERVAL_MS ?? 200, batchSize: vars.RELAY_BATCH_SIZE ?? 1000 },
    escalation: { sweepMs: vars.ESCALATION_SWEEP_MS ?? 5000 },
    bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1048576,
    bodyShape: {
      publicLimitBytes: vars.PUBLIC_BODY_LIMIT_BYTES ?? 4096,
      maxKeys: vars.BODY_MAX_KEYS ?? 1000,
      maxArrayLength: vars.BODY_MAX_ARRAY_LENGTH ?? 1000,
    },
    readinessMaxAgeDays: vars.READINESS_MAX_AGE_DAYS ?? 90,
    webhook: {
      attempts: vars.WEBHOOK_ATTEMPTS ?? 8,
      backoffMs: vars.WEBHOOK_BACKOFF_MS ?? 1000,
      allowedHosts: vars.WEBHOOK_ALLOWED_HOSTS ? vars.WEBHOOK_ALLOWED_HOSTS.split(',').map((host) => host.trim().toLowerCase()) : [],
      secretGraceSeconds: durationToSeconds(vars.WEBHOOK_SECRET_GRACE ?? '24h'),
    },
    commandThrottle: { limit: vars.COMMAND_THROTTLE_LIMIT ?? 3000, ttlSeconds: vars.COMMAND_THROTTLE_TTL_SECONDS ?? 60 },
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS ?? 30000,
    corsOrigins: vars.CORS_ORIGINS ? vars.CORS_ORIGINS.split(',') : [],
    auditCheckpoint: {
      intervalMs: durationToSeconds(vars.AUDIT_CHECKPOINT_INTERVAL ?? '5m') * 1000,
      signingKeyFile: vars.AUDIT_SIGNING_KEY_FILE ?? null,
      file: vars.AUDIT_CHECKPOINT_FILE ?? null,
    },
    mfa: {
      encryptionKey: vars.MFA_ENCRYPTION_KEY ? Buffer.from(vars.MFA_ENCRYPTION_KEY, vars.MFA_ENCRYPTION_KEY.length === 64 ? 'hex' : 'base64') : null,
      requiredRoles: rolesOf(vars.MFA_REQUIRED_ROLES) ?? (nodeEnv === 'production' ? ['MINISTER', 'ADMIN'] : []),
      authorizationRequiresMfa: (vars.AUTHORIZATION_REQUIRES_MFA as boolean | undefined) ?? nodeEnv === 'production',
      stepUpWindowSeconds: durationToSeconds(vars.MFA_STEP_UP_WINDOW ?? '15m'),
    },
    oidc,
    channels,
  };
}

/** The roles of a comma-separated list, or undefined when the setting is absent. */
function rolesOf(list: string | undefined): Role[] | undefined {
  if (list === undefined) return undefined;
  return [...new Set(list.split(',').map((role) => role.trim()).filter((role): role is Role => (ROLES as readonly string[]).includes(role)))];
}
