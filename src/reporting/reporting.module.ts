import { Module } from '@nestjs/common';
import { ActivationReportHandler } from './queries/activation-report.js';
import { ActivationTimelineHandler } from './queries/activation-timeline.js';
import { ActivationsOverviewHandler } from './queries/activations-overview.js';
import { EdxlRmThreadHandler } from './queries/edxl-export.js';
import { HistoryReportHandler } from './queries/history-reports.js';
import { ReportingController } from './reporting.controller.js';

/** After-action review: timelines, reports, exports. Read only. */
@Module({
  controllers: [ReportingController],
  providers: [ActivationTimelineHandler, ActivationReportHandler, HistoryReportHandler, EdxlRmThreadHandler, ActivationsOverviewHandler],
})
export class ReportingModule {}
