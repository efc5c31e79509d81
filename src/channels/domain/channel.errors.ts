import { ConflictError, DomainError, InvalidInputError } from '../../common/errors/domain-error.js';
import { type ContactMethodKind, SETTINGS_OF } from './contact-method.js';

/** The channel a method goes through is not configured on this service: nothing can be sent. */
export class ChannelNotConfiguredError extends ConflictError {
  constructor(method: ContactMethodKind) {
    super('CHANNEL.NOT_CONFIGURED', `The ${method} channel is not configured on this service (${SETTINGS_OF[method]}): it cannot send`);
  }
}

export class CodeInvalidError extends InvalidInputError {
  /** `remaining`: attempts left on the pending code; null when no code is pending for the current address. */
  constructor(method: ContactMethodKind, remaining: number | null) {
    super(
      'CONTACT.CODE_INVALID',
      remaining === null
        ? `No ${method} verification code is pending for the contact's current ${method === 'sms' ? 'phone' : 'email'}: ask for one`
        : remaining > 0
          ? `The ${method} verification code is wrong; ${remaining} attempt${remaining > 1 ? 's' : ''} left`
          : `The ${method} verification code is wrong; no attempt left: ask for a new code`,
      [{ field: 'code', problems: [remaining === null ? 'no code pending' : 'wrong code'] }],
    );
  }
}

export class CodeExpiredError extends InvalidInputError {
  constructor(method: ContactMethodKind) {
    super('CONTACT.CODE_EXPIRED', `The ${method} verification code has expired: ask for a new code`, [{ field: 'code', problems: ['expired'] }]);
  }
}

export class TooManyAttemptsError extends DomainError {
  constructor(method: ContactMethodKind, what: string) {
    super('TOO_MANY_REQUESTS', 'CONTACT.TOO_MANY_ATTEMPTS', `Too many attempts on the ${method} verification: ${what}`);
  }
}

export class MethodNotVerifiedError extends ConflictError {
  constructor(method: ContactMethodKind) {
    super('CONTACT.METHOD_NOT_VERIFIED', `The contact's ${method} is not verified: verify it before sending to it`);
  }
}
