import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import type { Backends } from './common/backends.js';
import { BackendsModule } from './common/backends.module.js';
import { QueueDashboardModule } from './admin/queue-dashboard.js';
import { AuditModule, AuditWorkersModule } from './audit/audit.module.js';
import { AccessGuard } from './common/auth/access.guard.js';
import { TokenRevocationModule } from './common/auth/token-revocation.js';
import { CoreModule } from './common/core.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { IdempotencyWorkersModule } from './common/idempotency/idempotency-purge.processor.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { loggerOptions } from './common/logging.js';
import { RedisModule } from './common/redis/redis.module.js';
import { ThrottlingModule } from './common/throttling/throttling.module.js';
import { HealthModule } from './health/health.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { RegistryModule } from './registry/registry.module.js';
import { ConventionsModule } from './conventions/conventions.module.js';
import { CrisisModule, CrisisWorkersModule } from './crisis/crisis.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { ConventionWorkersModule } from './conventions/jobs/convention-calendar.processor.js';
import { ChannelsModule, ChannelWorkersModule } from './channels/channels.module.js';

/** The modules that run queued work: in the API process by default, or alone (worker.ts). */
const WORKER_MODULES = [AuditWorkersModule, IdempotencyWorkersModule, ConventionWorkersModule, CrisisWorkersModule, ChannelWorkersModule];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, backends: Backends): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        CqrsModule.forRoot(),
        BackendsModule.forRoot(backends),
        DatabaseModule.forRoot(config, backends),
        RedisModule,
        // Redis, or BullMQ's PostgreSQL backend (whose schema plays the prefix's part).
        BullModule.forRoot({ connection: backends.queueConnection() as never, prefix: config.queuePrefix }),
        JwtModule.register({
          global: true,
          // A key object, not the string: jsonwebtoken would otherwise try, and fail, to read the
          // string as a public key on every verification (about 0.5 ms each).
          secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
          signOptions: { algorithm: 'HS256', issuer: 'renfort', expiresIn: config.jwt.ttlSeconds },
          verifyOptions: { algorithms: ['HS256'], issuer: 'renfort' },
        }),
        TokenRevocationModule,
        ThrottlingModule,
        IdempotencyModule,
        AuditModule,
        IdentityModule,
        RegistryModule,
        ConventionsModule,
        CrisisModule,
        ReportingModule,
        ChannelsModule,
        HealthModule,
        QueueDashboardModule,
        ...(config.runWorkers ? WORKER_MODULES : []),
      ],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
