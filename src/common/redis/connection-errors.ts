import type { Logger } from '@nestjs/common';

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Logs the connection errors of a queue or worker without flooding the log while its backend
 * (Redis or PostgreSQL) is down: the first one, then one in a hundred. BullMQ reconnects by itself.
 */
export function logConnectionErrors(emitter: ErrorEmitter, logger: Logger, what: string): void {
  let count = 0;
  emitter.on('error', (error) => {
    count += 1;
    if (count === 1 || count % 100 === 0) logger.warn(`${what}: queue connection error (${count} so far): ${error.message}`);
  });
}
