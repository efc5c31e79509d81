import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, loadAppConfig } from '../config/app-config.js';
import { StartupError } from './common/startup-error.js';
import { closeOnSignals } from './app.factory.js';
import { AppModule } from './app.module.js';
import { Backends } from './common/backends.js';
import { workerSummary } from './common/startup-summary.js';

/** Queue workers and the outbox relay alone, without the HTTP API: they scale apart. */
async function main(): Promise<void> {
  const config = { ...loadAppConfig(), runWorkers: true };
  if (!config.databaseUrl) {
    throw new StartupError('The worker process needs DATABASE_URL: the embedded database belongs to the API process, which runs the workers itself');
  }
  const backends = await Backends.open(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, backends), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  closeOnSignals(app);
  await app.init();
  if (backends.trialMode) app.get(Logger).warn(workerSummary(backends), 'Worker');
  else app.get(Logger).log(workerSummary(backends), 'Worker');
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError || error instanceof StartupError ? error.message : `Worker start-up failed: ${(error as Error)?.stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
