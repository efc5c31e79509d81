import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LogFn, Logger as PinoLogger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import type { Actor } from './auth/role.js';

/** Polled by load balancers and orchestrators every few seconds: its successes would drown the log. */
export const HEALTH_PATH = '/health';

/**
 * Nest's own start-up chatter (a line per module, per controller and per route: some 150 lines)
 * says nothing an operator acts on; it stays within reach at LOG_LEVEL=debug.
 */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const INFO = 30;

/** Set on a raw request once its line is taken: Nest mounts the logging middleware twice on some paths. */
const LOGGED = Symbol('renfort.requestLogged');
/** The Fastify request behind a raw one: its matched route and, once the access guard ran, its actor. */
const FASTIFY_REQUEST = Symbol('renfort.fastifyRequest');

type RawRequest = IncomingMessage & {
  id?: string;
  originalUrl?: string;
  [LOGGED]?: true;
  [FASTIFY_REQUEST]?: FastifyRequest & { actor?: Actor };
};

/**
 * Structured JSON logs. A request gives one line when it is answered: method, matched route
 * pattern, status, duration, request id (the one the HTTP adapter gave, see app.factory.ts) and
 * who called, never its headers unless LOG_LEVEL=trace. Lines written while a request is handled
 * carry its `reqId`.
 */
export function loggerOptions(config: AppConfig): Params {
  const withHeaders = config.logLevel === 'trace';
  return {
    pinoHttp: {
      level: config.logLevel,
      quietReqLogger: true,
      quietResLogger: true,
      redact: {
        paths: ['requestHeaders.authorization', 'requestHeaders.cookie', 'responseHeaders["set-cookie"]'],
        censor: '[redacted]',
      },
      hooks: { logMethod: quietFrameworkChatter },
      autoLogging: { ignore: alreadyLogged },
      customLogLevel: (request, response, error) => {
        if (!error && response.statusCode < 400 && requestPath(request) === HEALTH_PATH) return 'debug';
        return error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info';
      },
      customSuccessObject: (request, response, fields) => requestLine(request, response, fields.responseTime, withHeaders),
      customErrorObject: (request, response, error, fields) => ({ ...requestLine(request, response, fields.responseTime, withHeaders), err: error }),
      customSuccessMessage: (request, response, responseTime) => requestMessage(request, response, responseTime),
      // pino-http passes the duration as a fourth argument its types leave out.
      customErrorMessage: (request, response, _error, responseTime?: number) => requestMessage(request, response, responseTime ?? 0),
    },
  };
}

/**
 * Lets the request line name the matched route and the caller, which only the Fastify request
 * knows: the logging middleware sees the raw Node.js request.
 */
export function linkRequestsForLogs(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    (request.raw as RawRequest)[FASTIFY_REQUEST] = request;
    done();
  });
}

/** The path without its query string: `/health?probe=1` is still the health check. */
export function requestPath(request: IncomingMessage): string {
  const url = (request as RawRequest).originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function alreadyLogged(request: IncomingMessage): boolean {
  const raw = request as RawRequest;
  if (raw[LOGGED]) return true;
  raw[LOGGED] = true;
  return false;
}

function quietFrameworkChatter(this: PinoLogger, args: Parameters<LogFn>, method: LogFn, level: number): void {
  const context = (args[0] as { context?: unknown } | undefined)?.context;
  if (level === INFO && typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
    this.debug(...(args as [object, string]));
    return;
  }
  method.apply(this, args);
}

function matchedRoute(request: IncomingMessage): string | undefined {
  return (request as RawRequest)[FASTIFY_REQUEST]?.routeOptions.url;
}

function requestLine(request: IncomingMessage, response: ServerResponse, responseTime: number, withHeaders: boolean): Record<string, unknown> {
  const raw = request as RawRequest;
  const route = matchedRoute(request);
  const actor = raw[FASTIFY_REQUEST]?.actor;
  // The request id is bound already (quietReqLogger: `reqId`).
  return {
    method: request.method,
    // An unmatched path is named without its query string, which may carry anything.
    ...(route ? { route } : { path: requestPath(request) }),
    statusCode: response.statusCode,
    responseTime,
    ...(actor ? { userId: actor.userId, role: actor.role } : {}),
    ...(withHeaders ? { requestHeaders: request.headers, responseHeaders: response.getHeaders() } : {}),
  };
}

function requestMessage(request: IncomingMessage, response: ServerResponse, responseTime: number): string {
  return `${request.method} ${matchedRoute(request) ?? requestPath(request)} ${response.statusCode} ${responseTime} ms`;
}
