import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from '../config/app-config.js';
import { StartupError } from './common/startup-error.js';
import { createApp } from './app.factory.js';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError || error instanceof StartupError ? error.message : `Start-up failed: ${(error as Error)?.stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
