import { DEPARTEMENT_CODES, isDepartementCode } from './departement.js';

describe('département codes', () => {
  it('has 01-95 without 20 (94 codes), 2A and 2B, and 971 to 976 (six codes, 975 included)', () => {
    expect(DEPARTEMENT_CODES.size).toBe(102);
  });

  it.each(['01', '06', '13', '2A', '2B', '75', '95', '971', '976'])('accepts %s', (code) => {
    expect(isDepartementCode(code)).toBe(true);
  });

  it.each(['20', '00', '96', '99', '1', '6', '977', '2a', 6])('refuses %s', (code) => {
    expect(isDepartementCode(code)).toBe(false);
  });
});
