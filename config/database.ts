import type { DataSourceOptions } from 'typeorm';
import type { Duplex } from 'node:stream';
import { ENTITY_SCHEMAS } from '../src/entity-schemas.js';
import { MIGRATIONS } from '../migrations/index.js';

/** How node-postgres reaches the embedded database: a stream per connection instead of a socket. */
export interface EmbeddedConnector {
  clientOptions(): { stream: () => Duplex; host: string; database: string; user: string };
}

/**
 * The TypeORM options used by the application, the CLI and the tests alike: a PostgreSQL server
 * named by its URL, or the embedded database. Same entities, same migrations in both.
 */
export function dataSourceOptions(database: string | EmbeddedConnector, statementTimeoutMs = 30_000): DataSourceOptions {
  const common = {
    type: 'postgres',
    entities: ENTITY_SCHEMAS,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    // The schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    applicationName: 'renfort',
  } as const;
  if (typeof database !== 'string') {
    // One session underneath: connections take turns (see EmbeddedPostgres), a few are enough.
    return { ...common, extra: { ...database.clientOptions(), max: 8, connectionTimeoutMillis: 5000 } };
  }
  return {
    ...common,
    url: database,
    // No statement may hold a connection forever: a stuck query fails and the request answers.
    extra: { max: 20, connectionTimeoutMillis: 5000, statement_timeout: statementTimeoutMs },
  };
}
