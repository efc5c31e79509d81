import pg from 'pg';
import { assertTestDatabase, TEST_DATABASE_URL } from './test-settings.js';

/** A fresh test database for every run; each test file's application migrates it at start. */
export default async function globalSetup() {
  const name = assertTestDatabase(TEST_DATABASE_URL);
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
