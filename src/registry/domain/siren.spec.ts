import { sirenProblem } from './siren.js';

describe('sirenProblem', () => {
  it.each(['732829320', '552100554', '356000000'])('accepts the valid SIREN %s', (siren) => {
    expect(sirenProblem(siren)).toBeNull();
  });

  it.each([
    ['12345678', 'must be exactly 9 digits'],
    ['1234567890', 'must be exactly 9 digits'],
    ['73282932A', 'must be exactly 9 digits'],
    [' 73282932', 'must be exactly 9 digits'],
    ['732829321', 'fails the Luhn check digit'],
  ])('refuses %s: %s', (siren, problem) => {
    expect(sirenProblem(siren)).toBe(problem);
  });

  it('refuses what is not a string', () => {
    expect(sirenProblem(732829320)).toBe('must be exactly 9 digits');
  });
});
