import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../config/app-config.js';
import type { Backends } from '../backends.js';
import { runMigrationsExclusively } from './migrations-runner.js';

@Module({})
export class DatabaseModule {
  /**
   * One data source for the whole process; migrations run before anything else uses it.
   * The server (or the embedded database) was settled by Backends.open() before the application was built.
   */
  static forRoot(config: AppConfig, backends: Backends): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...backends.dataSourceOptions(), retryAttempts: 0 }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (config.runMigrations) await runMigrationsExclusively(dataSource);
            return dataSource;
          },
        }),
      ],
    };
  }
}
