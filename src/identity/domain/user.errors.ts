import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../common/errors/domain-error.js';

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

export class UserAlreadyDisabledError extends ConflictError {
  constructor(id: string) {
    super('USER.ALREADY_DISABLED', `User ${id} is already disabled`);
  }
}

export class UserNotDisabledError extends ConflictError {
  constructor(id: string) {
    super('USER.NOT_DISABLED', `User ${id} is not disabled`);
  }
}

/** An ADMIN locking itself out would need another ADMIN to undo it: it asks another one instead. */
export class CannotDisableSelfError extends ConflictError {
  constructor() {
    super('USER.CANNOT_DISABLE_SELF', 'An ADMIN cannot disable its own account');
  }
}

/** Without an enabled ADMIN nobody could create, enable or change a user again. */
export class LastAdminError extends ConflictError {
  constructor() {
    super('USER.LAST_ADMIN', 'This is the last enabled ADMIN; enable or appoint another ADMIN first');
  }
}

/** The password change asks for the current password, so that a token alone cannot take over the account. */
export class WrongCurrentPasswordError extends InvalidInputError {
  constructor() {
    super('USER.WRONG_PASSWORD', 'The current password is wrong', [{ field: 'currentPassword', problems: ['is wrong'] }]);
  }
}
