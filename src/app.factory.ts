import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type INestApplicationContext, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { requestValidationError } from './common/errors/request-validation.js';
import { JwtService } from '@nestjs/jwt';
import { isPublicRoute } from './common/auth/access.decorators.js';
import { TokenRevocation } from './common/auth/token-revocation.js';
import { actorFromRequest } from './common/auth/access.guard.js';
import type { Actor } from './common/auth/role.js';
import { toErrorResponse } from './common/errors/error-response.js';
import { answerClientError } from './common/errors/client-errors.js';
import { assertBodyShape, assertJsonKeyCount } from './common/http/body-shape.js';
import { buildOpenApiDocument } from './common/http/openapi.js';
import { serveWebConsole } from './common/http/web-console.js';
import { Backends } from './common/backends.js';
import { linkRequestsForLogs } from './common/logging.js';

export const API_PREFIX = 'api/v1';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Security headers on every answer, the middleware built once per application: @fastify/helmet
 * would build it again for every request, reading the whole policy each time. The web console runs
 * no inline script and loads nothing from another host: scripts, styles, fonts and calls are the
 * service's own. Its forms post to the service only, which may send one on to the OpenID provider
 * (signing out of ProConnect): browsers hold a form's redirects to form-action too.
 */
const securityHeaders = (config: AppConfig) => helmet({
  contentSecurityPolicy: {
    directives: {
      formAction: [`'self'`, ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`],
      // The DSFR's light or dark scheme is one small style element, allowed by its hash alone:
      // `:root { color-scheme: light; }` and `:root { color-scheme: dark; }`.
      styleSrc: [`'self'`, `'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY='`, `'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w='`],
      imgSrc: [`'self'`, 'data:'],
      fontSrc: [`'self'`],
      connectSrc: [`'self'`],
      objectSrc: [`'none'`],
      frameAncestors: [`'none'`],
    },
  },
  // No address leaves the service, but its own pages say where they come from: a form the console
  // posts (signing out of ProConnect) carries its Origin, which the session's same-origin check needs.
  referrerPolicy: { policy: 'same-origin' },
});

/** The OpenAPI UI page alone needs inline styles and scripts of its own. */
const docsSecurityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      scriptSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
    },
  },
});
const DOCS_PATH = /^\/api\/docs(?:[/?#-]|$)/;

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
    // Refusals made before any route is matched (header too large, request timeout, a request
    // line that does not parse) answer in the API's one error shape too.
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  // Anyone may call a public route: it reads only a small body, refused by its length alone.
  fastify.addHook('onRoute', (route) => {
    if (isPublicRoute(route.config)) route.bodyLimit = config.bodyShape.publicLimitBytes;
  });
  const consoleSecurityHeaders = securityHeaders(config);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const headers = DOCS_PATH.test(request.url) ? docsSecurityHeaders : consoleSecurityHeaders;
    headers(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
  // Before validation, guards or interceptors walk the body: its size in keys and items is bounded
  // before anything transforms it, and no body may exhaust their stacks.
  fastify.addHook('preHandler', (request, _reply, done) => {
    try {
      assertBodyShape(request.body, config.bodyShape);
      assertBodyShape(request.query, config.bodyShape, 'query');
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
  refuseAnonymousBodies(app);
  readJsonWithinKeyLimit(app, config);
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
  serveWebConsole(app.getHttpAdapter().getInstance());
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A body sent to a route that needs a token is read only once the token is known good: an
 * anonymous caller cannot make the service parse a megabyte of JSON, only the few kilobytes a
 * public route accepts. The route is what the router matched; the AccessGuard still decides roles.
 * Every command (a request with a body method on a private route) has its caller known here.
 */
function refuseAnonymousBodies(app: NestFastifyApplication): void {
  const jwt = app.get(JwtService);
  const revocation = app.get(TokenRevocation);
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions;
    if (!BODY_METHODS.has(request.method) || !route.url || isPublicRoute(route.config)) return;
    try {
      // Kept for the rate limits, which count commands per authenticated subject.
      (request as FastifyRequest & { actor?: Actor }).actor = await actorFromRequest(jwt, revocation, request);
    } catch (error) {
      const body = toErrorResponse(error);
      return reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
    }
  });
}

/**
 * JSON bodies are parsed as Fastify would (prototype poisoning refused), once their keys are
 * counted in the text: a key-count bomb is refused for the cost of one pass over its bytes,
 * before the parser builds an object of tens of thousands of properties.
 */
function readJsonWithinKeyLimit(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, (request, body, done) => {
    try {
      assertJsonKeyCount(body, config.bodyShape.maxKeys);
    } catch (error) {
      return done(error as Error, undefined);
    }
    return parse(request as never, body as never, done);
  });
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
    // Before configureApp's request hooks: a request that one of them answers early still has its route in the log.
    linkRequestsForLogs(app.getHttpAdapter().getInstance());
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
      // One line as it begins and one when it is done: an operator sees a stop that hangs, and one that ended well.
      const logger = app.get(Logger);
      const started = Date.now();
      logger.log(`Stopping on ${signal}: requests and jobs in progress finish, then the database and queues are closed`, 'Shutdown');
      void closeService(app).then(
        () => {
          logger.log(`Stopped cleanly in ${Date.now() - started} ms`, 'Shutdown');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`Stopping failed after ${Date.now() - started} ms: ${(error as Error)?.message ?? error}`, 'Shutdown');
          process.exit(1);
        },
      );
    });
  }
}
