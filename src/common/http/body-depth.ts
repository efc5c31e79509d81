import { InvalidInputError } from '../errors/domain-error.js';

/** No request body of this API nests deeper; anything deeper is refused before it is read. */
export const MAX_BODY_DEPTH = 32;

/** Depth of a parsed JSON value, measured without recursion so that no body can exhaust the stack. */
export function exceedsDepth(value: unknown, limit = MAX_BODY_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function assertBodyDepth(body: unknown): void {
  if (exceedsDepth(body)) {
    throw new InvalidInputError('REQUEST.TOO_DEEP', `Invalid request: the body nests deeper than ${MAX_BODY_DEPTH} levels`);
  }
}
