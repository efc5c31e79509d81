import { assertBodyShape, assertJsonKeyCount } from './body-shape.js';

const limits = { maxKeys: 50, maxArrayLength: 10 };
const refusal = (body: unknown) => {
  try {
    assertBodyShape(body, limits);
    return null;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
};

describe('assertBodyShape', () => {
  const nested = (levels: number) => Array.from({ length: levels - 1 }).reduce<unknown>((inner) => ({ a: inner }), { leaf: 1 });

  it('accepts ordinary bodies, scalars and text in any script', () => {
    expect(refusal({ a: [1, { b: 'c' }], name: 'Sécurité 👩‍🚒 東京' })).toBeNull();
    expect(refusal('text')).toBeNull();
    expect(refusal(nested(32))).toBeNull();
    expect(refusal(undefined)).toBeNull();
  });

  it('refuses a body nested beyond the limit, however deep, without recursion', () => {
    expect(refusal(nested(33))).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
    expect(refusal(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
  });

  it('refuses a key-count bomb with one message naming the limit, not the keys', () => {
    const bomb = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`key${i}`, i]));
    const found = refusal(bomb)!;
    expect(found).toEqual({ code: 'REQUEST.TOO_MANY_KEYS', message: 'Invalid request: the body holds more than 50 keys, the most a request may hold' });
  });

  it('counts keys across every object of the body', () => {
    expect(refusal({ list: Array.from({ length: 10 }, () => ({ a: 1, b: 2, c: 3, d: 4, e: 5 })) })).toMatchObject({ code: 'REQUEST.TOO_MANY_KEYS' });
    expect(refusal({ list: Array.from({ length: 9 }, () => ({ a: 1, b: 2, c: 3, d: 4, e: 5 })) })).toBeNull();
  });

  it('refuses an array longer than the limit, naming its field', () => {
    expect(refusal({ assetIds: Array.from({ length: 11 }, (_, i) => i) })).toMatchObject({ code: 'REQUEST.ARRAY_TOO_LONG', message: expect.stringContaining('assetIds holds more than 10 items') });
    expect(refusal({ assetIds: Array.from({ length: 10 }, (_, i) => i) })).toBeNull();
  });

  it('refuses lone surrogates in values and keys, naming the field', () => {
    expect(refusal({ legalName: 'Alpha \ud800 Drones' })).toMatchObject({ code: 'REQUEST.ILL_FORMED_UNICODE', message: expect.stringContaining('legalName holds ill-formed Unicode') });
    expect(refusal({ requirements: [{ category: 'DRONE' }, { category: '\udfff' }] })).toMatchObject({ message: expect.stringContaining('requirements[1].category') });
    expect(refusal({ ['\ud800']: 1 })).toMatchObject({ code: 'REQUEST.ILL_FORMED_UNICODE' });
    expect(refusal('\udc00')).toMatchObject({ code: 'REQUEST.ILL_FORMED_UNICODE', message: expect.stringContaining('body holds') });
  });

  describe('assertJsonKeyCount, before parsing', () => {
    const count = (json: string, max = 3) => {
      try {
        assertJsonKeyCount(Buffer.from(json), max);
        return 'ok';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };

    it('counts keys at every depth, not strings that are values', () => {
      expect(count('{"a": 1, "b": {"c": 2}}')).toBe('ok');
      expect(count('{"a": 1, "b": {"c": 2, "d": 3}}')).toBe('REQUEST.TOO_MANY_KEYS');
      expect(count('["a", "b", "c", "d", "e"]')).toBe('ok');
      expect(count('{"a": "x:y", "b": ["c", "d"], "e" : "f"}')).toBe('ok');
    });

    it('is not fooled by quotes, colons and backslashes inside strings', () => {
      expect(count('{"a": "\\":\\"", "b": "\\\\", "c": 1}')).toBe('ok');
      expect(count('{"a\\":b": 1, "c": 2, "d": 3}')).toBe('ok');
      expect(count('{"é": 1, "東京": 2, "👩‍🚒": 3, "ß": 4}')).toBe('REQUEST.TOO_MANY_KEYS');
    });

    it('agrees with the parsed count on a key-count bomb', () => {
      const bomb = `{${Array.from({ length: 5000 }, (_, i) => `"k${i}": "v:${i}"`).join(', ')}}`;
      expect(count(bomb, 5000)).toBe('ok');
      expect(count(bomb, 4999)).toBe('REQUEST.TOO_MANY_KEYS');
    });
  });
});
