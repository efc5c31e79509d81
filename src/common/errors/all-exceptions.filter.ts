import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReplayedResponse } from '../idempotency/replayed-response.js';
import { toErrorResponse } from './error-response.js';

/** The one exception filter: every error leaves the API in the same shape, 5xx are logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof ReplayedResponse) {
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply.status(exception.status).header('idempotent-replayed', 'true').send(exception.body);
      return;
    }
    const response = toErrorResponse(exception);
    if (response.statusCode >= 500) {
      this.logger.error({ err: exception }, 'AllExceptionsFilter: unexpected error while serving a request');
    }
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(response.statusCode).header('content-type', 'application/json; charset=utf-8').send(response);
  }
}
