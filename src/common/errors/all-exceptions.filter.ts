import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReplayedResponse } from '../idempotency/replayed-response.js';
import { DomainError } from './domain-error.js';
import { toErrorResponse } from './error-response.js';

/** The one exception filter: every error leaves the API in the same shape, 5xx are logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof ReplayedResponse) {
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply.status(exception.status).header('idempotent-replayed', 'true');
      if (exception.text === '') void reply.send();
      else void reply.header('content-type', 'application/json; charset=utf-8').send(exception.text);
      return;
    }
    const response = toErrorResponse(exception);
    if (response.statusCode === 413 && host.getType() === 'http') {
      // The route's own limit, which only the request knows: small where anyone may call, larger for signed-in callers.
      const limit = host.switchToHttp().getRequest<FastifyRequest>().routeOptions?.bodyLimit;
      if (limit) response.message = `Request body is too large: this route accepts at most ${limit} bytes`;
    }
    // A DomainError is a refusal the service chose (a busy resource), not a failure to log.
    if (response.statusCode >= 500 && !(exception instanceof DomainError)) {
      this.logger.error({ err: exception }, 'AllExceptionsFilter: unexpected error while serving a request');
    }
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const retryAfterSeconds = exception instanceof DomainError && 'retryAfterSeconds' in exception ? exception.retryAfterSeconds : undefined;
    // A refusal that knows when to come back says it, as the rate limits do.
    if (typeof retryAfterSeconds === 'number') void reply.header('retry-after', String(retryAfterSeconds));
    void reply.status(response.statusCode).header('content-type', 'application/json; charset=utf-8').send(response);
  }
}
