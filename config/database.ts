import type { DataSourceOptions } from 'typeorm';
import { ENTITY_SCHEMAS } from '../src/entity-schemas.js';
import { MIGRATIONS } from '../migrations/index.js';

/** The TypeORM options used by the application, the CLI and the tests alike. */
export function dataSourceOptions(databaseUrl: string, statementTimeoutMs = 30_000): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITY_SCHEMAS,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    // The schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    applicationName: 'renfort',
    // No statement may hold a connection forever: a stuck query fails and the request answers.
    extra: { max: 20, connectionTimeoutMillis: 5000, statement_timeout: statementTimeoutMs },
  };
}
