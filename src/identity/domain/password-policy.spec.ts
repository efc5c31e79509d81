import { assertStrongPassword, passwordWeakness, WeakPasswordError } from './password-policy.js';

describe('Password policy', () => {
  const email = 'astreinte@azur-drones.example.fr';

  it('accepts a long passphrase of uncommon words', () => {
    expect(passwordWeakness('vesubie-roya-crue-2026', email)).toBeNull();
  });

  it.each([
    ['onze-signes', 'has fewer than 12 characters'],
    ['x'.repeat(129), 'has more than 128 characters'],
    ['qwerty123456', 'is among the most common passwords'],
    ['AZERTYUIOP!!2026', 'is among the most common passwords'],
    ['soleil-soleil', null],
    ['Astreinte-Nice-06', 'contains the email address'],
  ])('judges %s: %s', (password, reason) => {
    expect(passwordWeakness(password, email)).toBe(reason);
  });

  it('counts characters, not UTF-16 units, up to 128', () => {
    expect(passwordWeakness('🚒'.repeat(128), email)).toBeNull();
  });

  it('ignores a local part too short to mean anything', () => {
    expect(passwordWeakness('a long enough password', 'a@b.fr')).toBeNull();
  });

  it('throws PASSWORD.TOO_WEAK naming the password field', () => {
    expect(() => assertStrongPassword('password1234', email)).toThrow(WeakPasswordError);
    expect(() => assertStrongPassword('password1234', email)).toThrow(expect.objectContaining({ code: 'PASSWORD.TOO_WEAK', kind: 'INVALID' }));
  });
});
