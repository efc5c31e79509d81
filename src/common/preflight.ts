import type { AppConfig } from '../../config/app-config.js';
import { Backends } from './backends.js';

/**
 * Settles, before anything is built, where the data and the queues live and that the configured
 * servers answer: a wrong URL stops start-up at once with a message naming the setting. Once
 * running, the service rides out outages (the outbox keeps every event while Redis is away).
 */
export function preflight(config: AppConfig): Promise<Backends> {
  return Backends.open(config);
}
