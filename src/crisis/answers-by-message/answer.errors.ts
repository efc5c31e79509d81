import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors/domain-error.js';

/** A link that was not signed by this service, or was altered. */
export class AnswerLinkInvalidError extends NotFoundError {
  constructor() {
    super('ANSWER.LINK_INVALID', 'This answer link is not valid: it was altered or was not sent by Renfort');
  }
}

/** A link used already: each link answers once. */
export class AnswerLinkUsedError extends ConflictError {
  constructor() {
    super('ANSWER.LINK_USED', 'This answer link was used already: each link answers once');
  }
}

/** The request can no longer take the link's answer (answered otherwise, stood down, the activation over). */
export class AnswerLinkExpiredError extends ConflictError {
  constructor(status: string) {
    super('ANSWER.LINK_EXPIRED', `This answer link has expired: the request is ${status} and can no longer take this answer`);
  }
}

/** A form posted from another site than the link's page. */
export class CrossOriginAnswerError extends InvalidInputError {
  constructor() {
    super('ANSWER.CROSS_ORIGIN', 'Answer from the page of the link: a form posted from another site is refused');
  }
}
