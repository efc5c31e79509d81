import { DataSource } from 'typeorm';
import { loadAppConfig } from './app-config.js';
import { dataSourceOptions } from './database.js';

/** Data source for the TypeORM CLI (`npm run migration:run` and friends). */
export default new DataSource(dataSourceOptions(loadAppConfig().databaseUrl));
