import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../crisis/domain/mobilization-request.js';

export class TimelineFilter extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this member's requests" }) @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'Only requests now in this status' }) @IsOptional() @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;
}

export class ReportFormat {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' }) @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
