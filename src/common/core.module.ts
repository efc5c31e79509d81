import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { Clock, SystemClock } from './time/clock.js';

/** The configuration and the clock, available everywhere. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
