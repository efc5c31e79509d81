import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/app-config.js';

/** Structured JSON logs; request lines carry the request id the HTTP adapter gave (see app.factory.ts). */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'], censor: '[redacted]' },
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
