import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { describeUrl, StartupError } from '../startup-error.js';

const logger = new Logger('Database');

/** Arbitrary, fixed key of the advisory lock that lets one process migrate at a time. */
const MIGRATION_LOCK_KEY = 7_310_742_001;
const CONNECT_ATTEMPTS = 5;
const RETRY_DELAY_MS = 1000;

/**
 * Runs pending migrations while holding a session-level advisory lock, so that several
 * instances starting together never apply the same migration twice.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // One line however many: a first start applies them all.
    if (applied.length > 0) logger.log(`Database: applied ${applied.length} migration${applied.length > 1 ? 's' : ''}, ${applied.map((migration) => migration.name).join(', ')}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

async function tryConnect(url: string): Promise<{ code?: string; message: string } | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return null;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code, message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure the server named by DATABASE_URL answers before anything else starts, retrying
 * briefly while it boots, and stops start-up with a clear message when it does not. Outside
 * production a missing database is created, so that `npm start` works on a fresh machine.
 */
export async function ensureDatabaseReady(databaseUrl: string, options: { createIfMissing: boolean }): Promise<void> {
  const where = describeUrl(databaseUrl);
  for (let attempt = 1; ; attempt += 1) {
    const failure = await tryConnect(databaseUrl);
    if (!failure) return;
    if (failure.code === '3D000' && options.createIfMissing) {
      await createDatabase(databaseUrl);
      continue;
    }
    // Refused credentials or a missing database will not fix themselves.
    if (failure.code === '3D000' || failure.code === '28P01' || failure.code === '28000' || attempt >= CONNECT_ATTEMPTS) {
      throw new StartupError(`Cannot use PostgreSQL at ${where} (DATABASE_URL): ${failure.message}`);
    }
    logger.warn(`Database: PostgreSQL at ${where} not reachable yet (${failure.message}); retrying`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
}

async function createDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    logger.log(`Database: created database ${name}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}
