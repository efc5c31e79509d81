import { ConfigurationError, loadAppConfig } from './app-config.js';

describe('loadAppConfig: password hashing and sign-in throttling', () => {
  it('hashes two passwords at once with sixteen waiting, and allows an email three times the per-address attempts', () => {
    const config = loadAppConfig({});
    expect(config.passwordHashing).toEqual({ concurrency: 2, queue: 16 });
    expect(config.loginThrottle).toEqual({ limit: 10, ttlSeconds: 60, emailLimit: 30 });
  });

  it('reads the hashing slots, their queue and the per-email limit', () => {
    const config = loadAppConfig({ PASSWORD_HASH_CONCURRENCY: '3', PASSWORD_HASH_QUEUE: '0', LOGIN_THROTTLE_LIMIT: '5', LOGIN_THROTTLE_EMAIL_LIMIT: '12' });
    expect(config.passwordHashing).toEqual({ concurrency: 3, queue: 0 });
    expect(config.loginThrottle).toMatchObject({ limit: 5, emailLimit: 12 });
    expect(loadAppConfig({ LOGIN_THROTTLE_LIMIT: '5' }).loginThrottle.emailLimit).toBe(15);
  });

  it('refuses hashing that would fill the whole thread pool, which DNS look-ups share', () => {
    expect(() => loadAppConfig({ PASSWORD_HASH_CONCURRENCY: '4' })).toThrow(
      new ConfigurationError(['PASSWORD_HASH_CONCURRENCY must be below the thread pool size (UV_THREADPOOL_SIZE, 4)']),
    );
    expect(() => loadAppConfig({ PASSWORD_HASH_CONCURRENCY: '3', UV_THREADPOOL_SIZE: '2' })).toThrow(/below the thread pool size \(UV_THREADPOOL_SIZE, 2\)/);
    expect(loadAppConfig({ PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '8' }).passwordHashing.concurrency).toBe(6);
  });

  it('names wrong values', () => {
    expect(() => loadAppConfig({ PASSWORD_HASH_CONCURRENCY: '0', PASSWORD_HASH_QUEUE: 'many', UV_THREADPOOL_SIZE: '2000' })).toThrow(
      /PASSWORD_HASH_CONCURRENCY.*PASSWORD_HASH_QUEUE.*UV_THREADPOOL_SIZE/,
    );
  });
});
