import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { catchError, mergeMap, type Observable } from 'rxjs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/role.js';
import { ConflictError, InvalidInputError, UnprocessableError } from '../errors/domain-error.js';
import { toErrorResponse } from '../errors/error-response.js';
import { canonicalJson } from './canonical-json.js';
import { IdempotencyStore } from './idempotency.store.js';
import { ReplayedResponse } from './replayed-response.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * What makes two requests the same: the route the router matched, its parameters and query as
 * decoded, and the body; never the raw URL, so that two spellings of one path are one request.
 */
export function requestFingerprint(method: string, route: string, params: unknown, query: unknown, body: unknown): string {
  const target = canonicalJson({ params: params ?? {}, query: query ?? {} });
  return createHash('sha256').update(`${method} ${route} ${target}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/**
 * The text Fastify sends for a handler's answer (an object is serialized with JSON.stringify,
 * in its own key order; nothing is sent for none), kept to be replayed byte for byte.
 */
function sentText(body: unknown): string {
  return body === undefined ? '' : JSON.stringify(body);
}

/** Refusals that say what the caller must do before trying again, rather than answer the command. */
const CALLER_REFUSALS = new Set(['AUTH.MFA_REQUIRED', 'AUTH.MFA_ENROLMENT_REQUIRED', 'RATE_LIMIT.EXCEEDED']);

/**
 * Honours `Idempotency-Key` on POST commands: the first response is stored and replayed for
 * the same key and request; another request under the same key gets 422; a retry while the
 * first is still running gets 409. Keys are scoped to the calling user.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw InvalidInputError.field('Idempotency-Key', 'must be 1 to 200 visible ASCII characters', 'IDEMPOTENCY.INVALID_KEY');
    }

    const scope = request.actor.userId;
    const claim = await this.store.claim(scope, key, requestFingerprint(request.method, request.routeOptions.url ?? request.url, request.params, request.query, request.body));
    switch (claim.outcome) {
      case 'mismatch':
        throw new UnprocessableError('IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was already used for a different request');
      case 'in-flight':
        throw new ConflictError('IDEMPOTENCY.IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly');
      case 'completed':
        throw new ReplayedResponse(claim.status, claim.body);
      case 'claimed':
        break;
    }

    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.store.complete(scope, key, reply.statusCode, sentText(body));
        return body;
      }),
      catchError(async (error: unknown) => {
        const response = toErrorResponse(error);
        // A refusal of the command is an answer and is replayed. A refusal of the caller as it is at
        // this moment (a second factor to check again, a throttle) and an unexpected failure are
        // not: once the caller has done what was asked, the same key carries the command through.
        if (response.statusCode < 500 && !CALLER_REFUSALS.has(response.code)) await this.store.complete(scope, key, response.statusCode, sentText(response));
        else await this.store.release(scope, key);
        throw error;
      }),
    );
  }
}
