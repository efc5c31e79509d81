import type { AppConfig } from '../../../config/app-config.js';
import { SecretBox } from './secret-box.js';

const configWith = (secret: string, encryptionKey: Buffer | null = null) => ({ jwt: { secret, ttlSeconds: 3600 }, mfa: { encryptionKey } }) as unknown as AppConfig;
const JWT_SECRET = 'renfort-unit-test-secret-0123456789-abcdef';

describe('SecretBox', () => {
  it('keeps a secret unreadable at rest and gives it back to its own user', () => {
    const box = new SecretBox(configWith(JWT_SECRET));
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed);
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a secret moved to another user, changed, or sealed under another key', () => {
    const box = new SecretBox(configWith(JWT_SECRET));
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow(expect.objectContaining({ code: 'MFA.SECRET_UNREADABLE' }));
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([version, iv, flipped.toString('base64url'), tag].join('.'), 'user-1')).toThrow();
    expect(() => new SecretBox(configWith(`${JWT_SECRET}-other`)).open(sealed, 'user-1')).toThrow();
  });

  it('uses MFA_ENCRYPTION_KEY when set, independently of the token signing key', () => {
    const key = Buffer.alloc(32, 9);
    const sealed = new SecretBox(configWith(JWT_SECRET, key)).seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(new SecretBox(configWith(`${JWT_SECRET}-rotated`, key)).open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => new SecretBox(configWith(JWT_SECRET)).open(sealed, 'user-1')).toThrow();
  });
});
