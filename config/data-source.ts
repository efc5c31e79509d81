import { DataSource } from 'typeorm';
import { loadAppConfig } from './app-config.js';
import { dataSourceOptions } from './database.js';

const { databaseUrl } = loadAppConfig();
if (!databaseUrl) {
  throw new Error('The TypeORM CLI needs DATABASE_URL; the embedded database is migrated by the service itself at start-up');
}

/** Data source for the TypeORM CLI (`npm run migration:run` and friends). */
export default new DataSource(dataSourceOptions(databaseUrl));
