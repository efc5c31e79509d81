import { InvalidInputError } from '../errors/domain-error.js';

/** No request body of this API nests deeper; anything deeper is refused before it is read. */
export const MAX_BODY_DEPTH = 32;

export interface BodyShapeLimits {
  /** Keys in the whole body, every object counted. */
  maxKeys: number;
  /** Items in any one array. */
  maxArrayLength: number;
}

/**
 * Checks a parsed request body (or query) before any guard, pipe or transformation reads it: a
 * body with tens of thousands of keys costs the transformer and the validator far more than its
 * parsing did, and the refusal would list every key. Walks without recursion, stops at the first
 * limit reached, and names that limit. Also refuses ill-formed Unicode (lone surrogates), which
 * JSON can carry but no text column or XML document can hold, naming the field.
 */
export function assertBodyShape(body: unknown, limits: BodyShapeLimits, root = 'body'): void {
  const stack: [value: unknown, path: string, depth: number][] = [[body, '', 1]];
  let keys = 0;
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) throw illFormed(path || root);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new InvalidInputError('REQUEST.TOO_DEEP', `Invalid request: the ${root} nests deeper than ${MAX_BODY_DEPTH} levels`);
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        throw InvalidInputError.field(path || root, `holds more than ${limits.maxArrayLength} items, the most any array may hold`, 'REQUEST.ARRAY_TOO_LONG');
      }
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push([value[index], `${path}[${index}]`, depth + 1]);
      continue;
    }
    const own = Object.keys(value);
    keys += own.length;
    if (keys > limits.maxKeys) {
      throw new InvalidInputError('REQUEST.TOO_MANY_KEYS', `Invalid request: the ${root} holds more than ${limits.maxKeys} keys, the most a request may hold`);
    }
    for (let index = own.length - 1; index >= 0; index -= 1) {
      const key = own[index];
      const child = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) throw illFormed(`${path || root} (a key)`);
      stack.push([(value as Record<string, unknown>)[key], child, depth + 1]);
    }
  }
}

function illFormed(field: string): InvalidInputError {
  return InvalidInputError.field(field.isWellFormed() ? field : field.toWellFormed(), 'holds ill-formed Unicode (a lone surrogate); send valid UTF-16 text', 'REQUEST.ILL_FORMED_UNICODE');
}
