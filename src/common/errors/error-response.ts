import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError, type ErrorDetail, type ErrorKind } from './domain-error.js';

/** The single error shape of the API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
}

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  INVALID: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  UNPROCESSABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/** PostgreSQL error codes that a client caused or can retry, never a 500. */
const POSTGRES_CONFLICTS: Record<string, string> = {
  '23505': 'A conflicting record already exists',
  '23503': 'The change refers to a record that does not exist, or removes one still in use',
  '40001': 'A concurrent change conflicted with this request; retry it',
  '40P01': 'A concurrent change conflicted with this request; retry it',
  '55P03': 'The record is locked by a concurrent change; retry it',
};

/** The database went away under a request (restart, terminated backend): the client may retry. */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']);

/** PostgreSQL error codes caused by text the client sent (NUL bytes, broken encodings). */
const POSTGRES_INVALID_TEXT: Record<string, string> = {
  '22021': 'Text fields must be valid UTF-8 without NUL characters',
  '22P05': 'Text fields must be valid UTF-8 without NUL characters',
};

/** Fastify's own errors (body parsing, content type, size), raised before Nest sees the request. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type: send application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body is empty but the content type is application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Request body is not valid JSON',
};

function body(statusCode: number, code: string, message: string, details?: unknown): ErrorBody {
  const result: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
  if (details !== undefined) result.details = details;
  return result;
}

/** One code for a body over its route's limit, whether Fastify or Nest raised it (the filter names the limit). */
const BODY_TOO_LARGE = 'REQUEST.BODY_TOO_LARGE';

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const code = status === HttpStatus.PAYLOAD_TOO_LARGE ? BODY_TOO_LARGE : `HTTP.${status}`;
  if (typeof response === 'string') return body(status, code, response);
  const { message, statusCode: _s, ...rest } = response as Record<string, unknown>;
  if (typeof rest.error === 'string') delete rest.error;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
  return body(status, code, text, Object.keys(rest).length > 0 ? rest : undefined);
}

/** Maps anything thrown while serving a request to a status and the single error shape. */
export function toErrorResponse(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return body(STATUS_OF_KIND[exception.kind], exception.code, exception.message, exception.details as ErrorDetail[] | undefined);
  }
  if (exception instanceof HttpException) return fromHttpException(exception);

  const error = exception as { code?: unknown; statusCode?: unknown; name?: string; message?: string };
  if (typeof error?.code === 'string' && error.code in POSTGRES_CONFLICTS) {
    return body(HttpStatus.CONFLICT, 'DATABASE.CONFLICT', POSTGRES_CONFLICTS[error.code]);
  }
  if ((typeof error?.code === 'string' && POSTGRES_UNAVAILABLE.has(error.code)) || /Connection terminated/.test(error?.message ?? '')) {
    return body(HttpStatus.SERVICE_UNAVAILABLE, 'DATABASE.UNAVAILABLE', 'The database connection was lost while serving this request; retry it (a retried command never acts twice: Idempotency-Key or state checks)');
  }
  if (typeof error?.code === 'string' && error.code === '57014') {
    return body(HttpStatus.SERVICE_UNAVAILABLE, 'DATABASE.TIMEOUT', 'The request took too long and was cancelled before anything was committed; retry it');
  }
  if (typeof error?.code === 'string' && error.code in POSTGRES_INVALID_TEXT) {
    return body(HttpStatus.BAD_REQUEST, 'REQUEST.INVALID_TEXT', POSTGRES_INVALID_TEXT[error.code]);
  }
  if (typeof error?.code === 'string' && error.code.startsWith('FST_') && typeof error.statusCode === 'number' && error.statusCode < 500) {
    const code = error.statusCode === HttpStatus.PAYLOAD_TOO_LARGE ? BODY_TOO_LARGE : `REQUEST.${error.code.replace(/^FST_ERR_/, '')}`;
    return body(error.statusCode, code, FASTIFY_MESSAGES[error.code] ?? error.message ?? 'Bad request');
  }
  if (error instanceof SyntaxError || error?.name === 'SyntaxError') {
    return body(HttpStatus.BAD_REQUEST, 'REQUEST.INVALID_JSON', 'Request body is not valid JSON');
  }
  if (typeof error?.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return body(error.statusCode, `HTTP.${error.statusCode}`, error.message ?? 'Bad request');
  }
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'An unexpected error occurred; it has been logged');
}
