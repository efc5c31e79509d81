/**
 * The kinds of failure the domain can report. The HTTP status of each kind is decided
 * in one place (error-response.ts); domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorDetail {
  field: string;
  problems: string[];
}

let stackTraceLimit = Error.stackTraceLimit;

/** Turns the capture of stack traces off for the Error being made (set back by its constructor). */
function withoutStackTrace(message: string): string {
  stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return message;
}

/**
 * A failure with a stable code (`'USER.EMAIL_TAKEN'`) that clients and tests can rely on. It is
 * an answer, not a fault: made without a stack trace, whose capture would cost more than the rest
 * of a refusal (thousands of "stood down" answers a minute in an activation's first minutes).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(withoutStackTrace(message));
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super('INVALID', code, message, details);
  }

  /** A 400 about one named field. */
  static field(field: string, problem: string, code = 'REQUEST.INVALID'): InvalidInputError {
    return new InvalidInputError(code, `Invalid request: ${field} ${problem}`, [{ field, problems: [problem] }]);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super('UNAUTHENTICATED', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super('FORBIDDEN', code, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super('NOT_FOUND', code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('CONFLICT', code, message);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: string, message: string) {
    super('UNPROCESSABLE', code, message);
  }
}
