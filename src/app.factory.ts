import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type INestApplicationContext, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { requestValidationError } from './common/errors/request-validation.js';
import { assertBodyDepth } from './common/http/body-depth.js';
import { buildOpenApiDocument } from './common/http/openapi.js';
import { Backends } from './common/backends.js';

export const API_PREFIX = 'api/v1';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Security headers on every answer, the middleware built once: @fastify/helmet would build it
 * again for every request, reading the whole policy each time.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      // The OpenAPI UI page needs inline styles and scripts of its own.
      styleSrc: [`'self'`, `'unsafe-inline'`],
      scriptSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
    },
  },
});

/** Each request carries an id, taken from X-Request-Id when it is sane, and returned in it. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: false,
    genReqId: requestId,
    // A client that takes longer than this to send its request gets 408 and its socket back.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs * 2,
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
  // Before validation, guards or interceptors walk the body: no body may exhaust their stacks.
  adapter.getInstance().addHook('preHandler', (request, _reply, done) => {
    try {
      assertBodyDepth(request.body);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  return adapter;
}

/**
 * Everything that makes the HTTP surface what clients rely on: prefix, validation, the one
 * error shape, OpenAPI (security headers are set by the adapter, createHttpAdapter). The service
 * and the tests both go through here.
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  mountQueueDashboard(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      exceptionFactory: requestValidationError,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  // Cross-origin calls are refused unless origins are configured.
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: false });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** The service: its backends settled first, then the application on them. closeService() closes both. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const backends = await Backends.open(config);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, backends), createHttpAdapter(config), {
      bufferLogs: true,
      // Let start-up failures reach main(), which reports them and exits non-zero.
      abortOnError: false,
    });
    await configureApp(app, config);
    closeOnSignals(app);
    return app;
  } catch (error) {
    await backends.close();
    throw error;
  }
}

/**
 * Closes the application, then its backends: the embedded database last, once TypeORM and
 * BullMQ have ended their connections (its data directory is then unlocked).
 */
export async function closeService(app: INestApplicationContext): Promise<void> {
  const backends = app.get(Backends);
  try {
    await app.close();
  } finally {
    await backends.close();
  }
}

/** SIGTERM and SIGINT close the process cleanly: requests and jobs finish, the database is closed. */
export function closeOnSignals(app: INestApplicationContext): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void closeService(app).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
