import type { AppConfig } from '../../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ passwordHashCost: 10 } as AppConfig);

  it('verifies the password it hashed and refuses another', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$/);
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('keeps verifying hashes made with another cost', async () => {
    const stronger = new PasswordHasher({ passwordHashCost: 11 } as AppConfig);
    await expect(hasher.verify('pw-from-before', await stronger.hash('pw-from-before'))).resolves.toBe(true);
  });

  it('refuses a malformed stored hash', async () => {
    await expect(hasher.verify('anything', 'plaintext')).resolves.toBe(false);
  });
});
