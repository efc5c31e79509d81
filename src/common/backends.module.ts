import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Backends } from './backends.js';

/**
 * The process's Backends (opened by Backends.open before the application is built), available everywhere. Whoever opened them closes
 * them, after the application: TypeORM and BullMQ end their connections first.
 */
@Global()
@Module({})
export class BackendsModule {
  static forRoot(backends: Backends): DynamicModule {
    return { module: BackendsModule, providers: [{ provide: Backends, useValue: backends }], exports: [Backends] };
  }
}
