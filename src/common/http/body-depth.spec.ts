import { exceedsDepth } from './body-depth.js';

describe('exceedsDepth', () => {
  const nested = (levels: number) => Array.from({ length: levels - 1 }).reduce<unknown>((inner) => ({ a: inner }), { leaf: 1 });

  it('accepts ordinary bodies and scalars', () => {
    expect(exceedsDepth({ a: [1, { b: 'c' }] })).toBe(false);
    expect(exceedsDepth('text')).toBe(false);
    expect(exceedsDepth(nested(32))).toBe(false);
  });

  it('refuses a body nested beyond the limit, however deep, without recursion', () => {
    expect(exceedsDepth(nested(33))).toBe(true);
    expect(exceedsDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).toBe(true);
  });
});
