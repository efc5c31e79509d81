import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors/domain-error.js';
import { GRATUITY_MESSAGE } from './gratuity.js';

export class MemberNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('MEMBER.NOT_FOUND', `No member with id ${id}`);
  }
}

export class SirenAlreadyRegisteredError extends ConflictError {
  constructor(siren: string) {
    super('MEMBER.SIREN_TAKEN', `A member with SIREN ${siren} is already registered`);
  }
}

export class AssetNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('ASSET.NOT_FOUND', `No asset with id ${id}`);
  }
}

export class ContactNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('CONTACT.NOT_FOUND', `No contact with id ${id}`);
  }
}

export class DirectorateNotFoundError extends NotFoundError {
  constructor(code: string) {
    super('DIRECTORATE.NOT_FOUND', `No directorate with code ${code}`);
  }
}

export class OfferNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('OFFER.NOT_FOUND', `No unsolicited offer with id ${id}`);
  }
}

export class EscalationOrderTakenError extends ConflictError {
  constructor(order: number) {
    super('CONTACT.ESCALATION_ORDER_TAKEN', `Another contact already has escalation order ${order}`);
  }
}

export class StaleVersionError extends ConflictError {
  constructor(what: string, id: string, current: number) {
    super('CONCURRENCY.STALE_VERSION', `${what} ${id} was changed meanwhile: its version is now ${current}; reload and retry`);
  }
}

export class ChargeRefusedError extends InvalidInputError {
  constructor(fields: string[]) {
    super('CHARTER.GRATUITY', `${GRATUITY_MESSAGE} (refused: ${fields.join(', ')})`, fields.map((field) => ({ field, problems: [GRATUITY_MESSAGE] })));
  }
}

/** Only an ACTIVE member takes part: receives offers' assets, answers requests. Names the status it is in. */
export class MemberNotActiveError extends ConflictError {
  constructor(memberId: string, status: string, refused: string) {
    super('MEMBER.NOT_ACTIVE', `Member ${memberId} is ${status}: ${refused}; only an ACTIVE member can`);
  }
}
