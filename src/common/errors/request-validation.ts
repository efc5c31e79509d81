import type { ValidationError } from 'class-validator';
import { type ErrorDetail, InvalidInputError } from './domain-error.js';

function collect(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    const here: ErrorDetail[] = own.length > 0 ? [{ field, problems: own }] : [];
    return [...here, ...collect(error.children ?? [], field)];
  });
}

/** ValidationPipe's exceptionFactory: a 400 whose message and details name each bad field. */
export function requestValidationError(errors: ValidationError[]): InvalidInputError {
  const details = collect(errors);
  const summary = details.map((detail) => detail.problems.join(', ')).join('; ');
  return new InvalidInputError('REQUEST.VALIDATION_FAILED', `Invalid request: ${summary}`, details);
}
