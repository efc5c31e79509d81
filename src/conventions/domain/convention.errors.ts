import { NotFoundError } from '../../common/errors/domain-error.js';

export class ConventionNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('CONVENTION.NOT_FOUND', `No convention with id ${id}`);
  }
}
