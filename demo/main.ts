import { ApiError, ServiceUnreachableError } from './api-client.js';
import { runDemo } from './run.js';

/**
 * `npm run demo [-- --members 40 --assets 400 --delay-scale 1]`: runs the exercise against the
 * service at DEMO_BASE_URL (default http://localhost:3000) and prints its after-action report.
 */

function option(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} needs a positive number\n`);
    process.exit(2);
  }
  return value;
}

const fromEnv = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

runDemo({
  members: option('members') ?? fromEnv('DEMO_MEMBERS'),
  assets: option('assets') ?? fromEnv('DEMO_ASSETS'),
  delayScale: option('delay-scale'),
}).then(
  (result) => process.exit(result.timedOut ? 1 : 0),
  (error: unknown) => {
    if (error instanceof ServiceUnreachableError) {
      process.stderr.write(`${error.message}.\nStart it with npm start (or point DEMO_BASE_URL at a running Renfort), then run npm run demo again.\n`);
    } else if (error instanceof ApiError || (error instanceof Error && !(error instanceof TypeError) && !(error instanceof ReferenceError))) {
      process.stderr.write(`The demo failed: ${error.message}\n`);
    } else {
      process.stderr.write(`The demo failed: ${(error as Error)?.stack ?? error}\n`);
    }
    process.exit(1);
  },
);
