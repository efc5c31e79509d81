import { NotFoundError } from '../common/errors/domain-error.js';

export class EdxlRmMessageNotFoundError extends NotFoundError {
  constructor(activationId: string, n: string, count: number) {
    super('EDXL_RM.MESSAGE_NOT_FOUND', `The EDXL-RM thread of activation ${activationId} has ${count} message(s); there is no message ${n}`);
  }
}
