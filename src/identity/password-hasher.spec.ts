import type { AppConfig } from '../../config/app-config.js';
import { PasswordHasher, PasswordHashingBusyError } from './password-hasher.js';

const settings = (passwordHashCost: number, concurrency = 2, queue = 32) =>
  ({ passwordHashCost, passwordHashing: { concurrency, queue } }) as AppConfig;

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(settings(10));

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
    const stronger = new PasswordHasher(settings(11));
    await expect(hasher.verify('pw-from-before', await stronger.hash('pw-from-before'))).resolves.toBe(true);
  });

  it('refuses a malformed stored hash', async () => {
    await expect(hasher.verify('anything', 'plaintext')).resolves.toBe(false);
  });

  it('refuses at once with AUTH.BUSY and a retry delay when every slot is taken and the queue is full', async () => {
    const busy = new PasswordHasher(settings(12, 1, 1));
    const stored = await busy.hash('a password');

    const running = busy.verify('a password', stored);
    const waiting = busy.verify('a password', stored);
    const refused = await busy.verify('a password', stored).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(PasswordHashingBusyError);
    expect(refused).toMatchObject({ kind: 'SERVICE_UNAVAILABLE', code: 'AUTH.BUSY' });
    expect((refused as PasswordHashingBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await expect(Promise.all([running, waiting])).resolves.toEqual([true, true]);
  });

  it('counts the check of an unknown email against the same slots as a real one', async () => {
    const busy = new PasswordHasher(settings(12, 1, 0));
    await busy.verifyNothing('once the decoy is ready');
    const stored = await busy.hash('a password');

    const running = busy.verify('a password', stored);
    await expect(busy.verifyNothing('a guess')).rejects.toBeInstanceOf(PasswordHashingBusyError);
    await running;
    await expect(busy.verifyNothing('a guess')).resolves.toBe(false);
  });
});
