import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig, LogLevel } from '../../config/app-config.js';
import { loggerOptions, requestPath } from './logging.js';

const options = (logLevel: LogLevel) => loggerOptions({ logLevel } as AppConfig).pinoHttp as Options;

/** A pino logger with the service's options, writing its lines into an array. */
function capturedLogger(logLevel: LogLevel) {
  const lines: Array<{ level: number; msg: string; context?: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const { hooks, level } = options(logLevel);
  return { logger: pino({ hooks, level }, destination), lines };
}

const request = (url: string, originalUrl?: string) => ({ url, originalUrl, method: 'GET', headers: {} }) as unknown as IncomingMessage;
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

describe('Operations logs', () => {
  it("moves Nest's module and route mapping lines from info to debug", () => {
    const atInfo = capturedLogger('info');
    atInfo.logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/members, GET} route');
    atInfo.logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
    atInfo.logger.info({ context: 'Database' }, 'Database: applied migration Foundation');
    expect(atInfo.lines.map((line) => line.context)).toEqual(['Database']);

    const atDebug = capturedLogger('debug');
    atDebug.logger.info({ context: 'RoutesResolver' }, 'MembersController {/api/v1/members}:');
    expect(atDebug.lines).toMatchObject([{ level: 20, context: 'RoutesResolver' }]);
  });

  it('keeps a warning of the same contexts at its level', () => {
    const { logger, lines } = capturedLogger('info');
    logger.warn({ context: 'NestApplication' }, 'something to act on');
    expect(lines).toMatchObject([{ level: 40 }]);
  });

  it('logs a successful /health at debug, query string or not, and a failing one as an error', () => {
    const level = options('info').customLogLevel!;
    expect(level(request('/health'), response(200))).toBe('debug');
    expect(level(request('/', '/health?probe=1'), response(200))).toBe('debug');
    expect(level(request('/health'), response(503))).toBe('error');
    expect(level(request('/api/v1/members'), response(200))).toBe('info');
    expect(level(request('/api/v1/members'), response(404))).toBe('warn');
  });

  it('takes one line per request even when the logging middleware runs twice', () => {
    const { autoLogging } = options('info');
    const ignore = (autoLogging as { ignore: (request: IncomingMessage) => boolean }).ignore;
    const twice = request('/health');
    expect([ignore(twice), ignore(twice)]).toEqual([false, true]);
  });

  it('reads the path from the URL the client sent, without its query string', () => {
    // Nest's middleware rewrites `url` to what follows the path it was mounted on.
    expect(requestPath(request('/', '/api/v1/members?page=2'))).toBe('/api/v1/members');
    expect(requestPath(request('/health?probe=1'))).toBe('/health');
  });
});
