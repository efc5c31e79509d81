import { inlineParameters, sqlLiteral } from './pipelined-transaction.js';

describe('parameters written as literals, for statements sent together', () => {
  it('quotes text, doubling quotes and escaping backslashes', () => {
    expect(sqlLiteral(`l'équipe`)).toBe(`'l''équipe'`);
    expect(sqlLiteral('a\\b')).toBe(` E'a\\\\b'`);
  });

  it('writes numbers, booleans and nulls bare, and refuses numbers that are not finite', () => {
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(-1.5)).toBe('-1.5');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
  });

  it('writes arrays as array literals, each element quoted, nulls kept', () => {
    expect(sqlLiteral(['NOTIFIED', 'ESCALATED'])).toBe(`'{"NOTIFIED","ESCALATED"}'`);
    expect(sqlLiteral(['{"a": "x\\"y"}', null])).toBe(` E'{"{\\\\"a\\\\": \\\\"x\\\\\\\\\\\\"y\\\\"}",NULL}'`);
  });

  it('writes dates in ISO 8601 and objects as JSON', () => {
    expect(sqlLiteral(new Date('2026-11-23T08:00:00.000Z'))).toBe(`'2026-11-23T08:00:00.000Z'`);
    expect(sqlLiteral({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
  });

  it('replaces every placeholder once, $10 apart from $1, and names a missing one', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('SELECT $1, $10, $1::text', params)).toBe(`SELECT 'v1', 'v10', 'v1'::text`);
    expect(inlineParameters('SELECT $1', ['$2'])).toBe(`SELECT '$2'`);
    expect(() => inlineParameters('SELECT $2', ['x'])).toThrow(/\$2 has no value/);
  });
});
