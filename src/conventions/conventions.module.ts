import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ActOnConventionHandler } from './commands/act-on-convention.js';
import { AmendConventionHandler } from './commands/amend-convention.js';
import { DraftConventionHandler } from './commands/draft-convention.js';
import { RenewConventionHandler } from './commands/renew-convention.js';
import { RunConventionCalendarHandler } from './commands/run-convention-calendar.js';
import { UpdateConventionHandler } from './commands/update-convention.js';
import { ConventionsController } from './conventions.controller.js';
import { ConventionCalendarHandler } from './queries/convention-calendar.js';
import { GetConventionDocumentHandler } from './queries/convention-document.js';
import { GetConventionHandler, ListConventionsHandler } from './queries/convention-queries.js';
import { ListConventionVersionsHandler } from './queries/convention-versions.js';
import { EligibleAssetsHandler } from './queries/eligible-assets.js';

const commandHandlers = [
  DraftConventionHandler, UpdateConventionHandler, ActOnConventionHandler, AmendConventionHandler, RenewConventionHandler,
  RunConventionCalendarHandler,
];
const queryHandlers = [
  ListConventionsHandler, GetConventionHandler, EligibleAssetsHandler, ListConventionVersionsHandler, GetConventionDocumentHandler, ConventionCalendarHandler,
];

/** Conventions between members and directorates, their lifecycle, and asset eligibility. */
@Module({
  imports: [AuditModule],
  controllers: [ConventionsController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class ConventionsModule {}
