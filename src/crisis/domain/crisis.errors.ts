import { NotFoundError } from '../../common/errors/domain-error.js';

export class CrisisNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('CRISIS.NOT_FOUND', `No crisis with id ${id}`);
  }
}

export class ActivationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('ACTIVATION.NOT_FOUND', `No activation with id ${id}`);
  }
}

export class RequestNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('REQUEST.NOT_FOUND', `No mobilization request with id ${id}`);
  }
}
