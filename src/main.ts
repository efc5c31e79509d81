import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, loadAppConfig } from '../config/app-config.js';
import { StartupError } from './common/startup-error.js';
import { listeningSummary, localBaseUrl, servesWebConsole } from './common/startup-summary.js';
import { Backends } from './common/backends.js';
import { API_PREFIX, createApp } from './app.factory.js';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  const summary = listeningSummary(localBaseUrl(app.getHttpServer().address()), app.get(Backends), {
    apiPrefix: API_PREFIX,
    webConsole: servesWebConsole(app.getHttpAdapter().getInstance()),
  });
  const logger = app.get(Logger);
  if (app.get(Backends).trialMode) logger.warn(summary, 'Renfort');
  else logger.log(summary, 'Renfort');
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError || error instanceof StartupError ? error.message : `Start-up failed: ${(error as Error)?.stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
