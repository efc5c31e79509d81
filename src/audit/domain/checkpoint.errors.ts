import { ConflictError } from '../../common/errors/domain-error.js';

/** The chain no longer follows from the latest checkpoint: signing its head would vouch for a tampered log. */
export class AuditChainBrokenError extends ConflictError {
  constructor(sequence: number, why: string) {
    super('AUDIT.CHAIN_BROKEN', `The audit chain is broken at sequence ${sequence} (${why}); no checkpoint is signed until it is investigated (GET /audit/verify)`);
  }
}
