import { ConflictError, NotFoundError, UnauthenticatedError } from '../../common/errors/domain-error.js';

export class EmailAlreadyRegisteredError extends ConflictError {
  constructor(email: string) {
    super('USER.EMAIL_TAKEN', `A user with email ${email} already exists`);
  }
}

/** The same answer for an unknown email and a wrong password: nothing to learn from it. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('AUTH.INVALID_CREDENTIALS', 'Invalid email or password');
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('USER.NOT_FOUND', `No user with id ${id}`);
  }
}
