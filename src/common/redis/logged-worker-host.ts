import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { logConnectionErrors } from './connection-errors.js';

/** A BullMQ processor whose worker reports Redis trouble through the service's log. */
export abstract class LoggedWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);

  onApplicationBootstrap(): void {
    logConnectionErrors(this.worker, this.logger, this.constructor.name);
  }
}
