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
    if (keys > limits.maxKeys) throw tooManyKeys(root, limits.maxKeys);
    for (let index = own.length - 1; index >= 0; index -= 1) {
      const key = own[index];
      const child = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) throw illFormed(`${path || root} (a key)`);
      stack.push([(value as Record<string, unknown>)[key], child, depth + 1]);
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
const isJsonSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * Counts the keys of a JSON text before it is parsed, stopping at the limit: parsing an object of
 * tens of thousands of keys costs far more than this one pass over the bytes (a key is a string
 * followed by a colon; UTF-8 continuation bytes never look like a quote or a backslash).
 */
export function assertJsonKeyCount(text: Uint8Array, maxKeys: number): void {
  let keys = 0;
  let inString = false;
  let escaped = false;
  let afterString = false;
  for (let index = 0; index < text.length; index += 1) {
    const byte = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) (inString = false), (afterString = true);
      continue;
    }
    if (isJsonSpace(byte)) continue;
    if (byte === QUOTE) inString = true;
    else if (byte === COLON && afterString && ++keys > maxKeys) throw tooManyKeys('body', maxKeys);
    afterString = false;
  }
}

function tooManyKeys(root: string, maxKeys: number): InvalidInputError {
  return new InvalidInputError('REQUEST.TOO_MANY_KEYS', `Invalid request: the ${root} holds more than ${maxKeys} keys, the most a request may hold`);
}

function illFormed(field: string): InvalidInputError {
  return InvalidInputError.field(field.isWellFormed() ? field : field.toWellFormed(), 'holds ill-formed Unicode (a lone surrogate); send valid UTF-16 text', 'REQUEST.ILL_FORMED_UNICODE');
}
