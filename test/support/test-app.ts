import { Logger as NestLogger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type AppConfig, loadAppConfig } from '../../config/app-config.js';
import { closeService, configureApp, createHttpAdapter } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { sealPendingEvents } from '../../src/audit/persistence.js';
import { Backends } from '../../src/common/backends.js';
import type { Role } from '../../src/common/auth/role.js';
import { Clock } from '../../src/common/time/clock.js';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL } from '../test-settings.js';
import { deleteRedisKeys } from './redis-server.js';
import { testSigningKeyFile } from './signing-key.js';

export const TEST_ADMIN = { email: 'admin@renfort.test', password: 'test-bootstrap-secret-2026' };
export const TEST_JWT_SECRET = 'renfort-test-secret-0123456789-abcdefghij';

export interface TestAppOptions {
  /** Settings on top of the test defaults, by environment variable name. */
  env?: Record<string, string>;
  clock?: Clock;
}

export interface SignedInUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

/** The real service (same modules, same HTTP set-up) on the test database and Redis. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const config = loadAppConfig({
      NODE_ENV: 'test',
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PASSWORD_HASH_COST: '10',
      LOGIN_THROTTLE_LIMIT: '1000',
      COMMAND_THROTTLE_LIMIT: '1000000',
      RELAY_INTERVAL_MS: '50',
      AUDIT_SIGNING_KEY_FILE: testSigningKeyFile(),
      // Each application gets its own queues and throttling counters in the shared Redis.
      QUEUE_PREFIX: `renfort-test-${randomUUID().slice(0, 8)}`,
      ...options.env,
    });
    // The suite's own database, or an embedded one that lives and dies with the test.
    if (config.databaseUrl) assertTestDatabase(config.databaseUrl);
    NestLogger.overrideLogger(['fatal']);
    const backends = await Backends.open(config);

    let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, backends)] });
    if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { bufferLogs: true });
    await configureApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, config);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  get db(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  /** Seals the events committed so far into the chain, for a test that reads audit_event itself. */
  async sealEvents(): Promise<void> {
    await sealPendingEvents(this.db);
  }

  get<T>(token: abstract new (...args: never[]) => T): T {
    return this.app.get(token as never);
  }

  async login(email: string, password: string): Promise<string> {
    const response = await this.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
    const token = response.body.accessToken as string;
    return this.config.nodeEnv === 'production' ? this.withSecondFactor(token) : token;
  }

  /**
   * Production asks MINISTER and ADMIN users for a second factor, enrolled before anything else and
   * checked again to authorize: a suite about something else signs its users in as if it had just
   * been checked (test/second-factor.e2e-spec.ts exercises the real thing).
   */
  private async withSecondFactor(token: string): Promise<string> {
    const jwt = this.get(JwtService);
    const { iat, exp, iss: _iss, enr: _enr, ...claims } = jwt.decode<Record<string, unknown> & { iat: number; exp: number }>(token);
    return jwt.signAsync({ ...claims, amr: ['pwd', 'otp'], mfa_at: Math.floor(Date.now() / 1000) }, { expiresIn: exp - iat });
  }

  async adminToken(): Promise<string> {
    return this.login(TEST_ADMIN.email, TEST_ADMIN.password);
  }

  /** Creates a user through the API, as the ADMIN, and signs it in. */
  async signedInUser(role: Role, binding: { memberId?: string; directorateCode?: string } = {}): Promise<SignedInUser> {
    const email = `${role.toLowerCase()}.${randomUUID().slice(0, 12)}@renfort.test`;
    const password = 'a long enough password';
    const created = await this.http
      .post('/api/v1/users')
      .set('authorization', `Bearer ${await this.adminToken()}`)
      .send({ email, password, role, ...binding })
      .expect(201);
    return { id: created.body.id, email, role, token: await this.login(email, password) };
  }

  async close(): Promise<void> {
    await closeService(this.app);
    if (this.config.redisUrl) await deleteRedisKeys(this.config.redisUrl, `${this.config.queuePrefix}:*`);
  }
}


export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** Polls until the check passes or the time is up; answers the last value. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
