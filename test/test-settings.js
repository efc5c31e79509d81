/**
 * Where the tests run. Their database is created and dropped by the suite itself, so its
 * name must say it is a test database: the suite refuses any other.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/renfort_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function assertTestDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run the tests against database "${name}": its name must contain "test"`);
  }
  return name;
}
