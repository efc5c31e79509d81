import { ConflictError, ForbiddenError, InvalidInputError, UnauthenticatedError } from '../../common/errors/domain-error.js';

export class SecondFactorAlreadyEnrolledError extends ConflictError {
  constructor() {
    super('MFA.ALREADY_ENROLLED', 'A second factor is already enrolled; an ADMIN can reset it (DELETE /users/{id}/mfa) if its device is lost');
  }
}

export class SecondFactorNotEnrolledError extends ConflictError {
  constructor(what = 'No second factor is enrolled; enrol one first (POST /users/me/mfa/totp)') {
    super('MFA.NOT_ENROLLED', what);
  }
}

/** A wrong code while enrolling or stepping up: the caller is signed in, only the code is wrong. */
export class SecondFactorCodeInvalidError extends InvalidInputError {
  constructor(field: 'code' | 'otp') {
    super('MFA.CODE_INVALID', 'The code is wrong, expired or already used; enter the current code of the authenticator app', [
      { field, problems: ['is wrong, expired or already used'] },
    ]);
  }
}

/** Said only to whoever gave the right password: the account signs in with a second factor. */
export class OtpRequiredError extends UnauthenticatedError {
  constructor() {
    super('AUTH.OTP_REQUIRED', 'This account signs in with a second factor: send the code of the authenticator app (or a recovery code) as otp');
  }
}

export class OtpInvalidError extends UnauthenticatedError {
  constructor() {
    super('AUTH.OTP_INVALID', 'The second factor code is wrong, expired or already used');
  }
}

/** The stored secret does not decrypt: the encryption key changed since the user enrolled. */
export class SecondFactorUnreadableError extends ConflictError {
  constructor() {
    super(
      'MFA.SECRET_UNREADABLE',
      'The second factor cannot be read with the current key (MFA_ENCRYPTION_KEY, or JWT_SECRET without it, changed): use a recovery code, or ask an ADMIN to reset it',
    );
  }
}

/** An ADMIN who lost its device asks another ADMIN: a token alone must not take the second factor away. */
export class CannotResetOwnSecondFactorError extends ConflictError {
  constructor() {
    super('MFA.CANNOT_RESET_OWN', "An ADMIN cannot reset its own second factor; another ADMIN can");
  }
}

/** The decision asks for a second factor checked recently: the caller proves it again (step-up). */
export class RecentSecondFactorRequiredError extends ForbiddenError {
  constructor(windowSeconds: number) {
    super(
      'AUTH.MFA_REQUIRED',
      `This decision needs a second factor checked within the last ${describeSeconds(windowSeconds)}: ` +
        'send the current code of the authenticator app to POST /auth/step-up, then retry with the token it gives',
    );
  }
}

function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
