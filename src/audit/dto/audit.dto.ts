import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, Min, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page.js';

export class AuditEventsFilter extends PageQuery {
  @ApiPropertyOptional({ description: 'Id of the aggregate (member, convention, activation...)' })
  @IsOptional() @IsString() @MaxLength(100)
  aggregateId?: string;

  @ApiPropertyOptional({ example: 'User' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,60}$/)
  aggregateType?: string;

  @ApiPropertyOptional({ example: 'UserCreated' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,80}$/)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'Events at or after this instant (ISO 8601)' })
  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this instant (ISO 8601)' })
  @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Events with this sequence or later' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  fromSequence?: number;

  @ApiPropertyOptional({ description: 'Events with this sequence or earlier' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  toSequence?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional() @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class AuditEventView {
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ nullable: true, format: 'uuid' }) actorId: string | null;
  @ApiProperty({ example: 'ADMIN' }) actorRole: string;
  @ApiProperty() aggregateType: string;
  @ApiProperty() aggregateId: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditEventPage extends PageOf(AuditEventView) {}

export class ChainVerification {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Number of events checked' }) checked: number;
  @ApiPropertyOptional({ description: 'Sequence of the first event that is missing or does not match the chain' })
  firstBrokenSequence?: number;
  @ApiPropertyOptional({ enum: ['MISSING', 'PREVIOUS_HASH_MISMATCH', 'HASH_MISMATCH'] })
  reason?: string;
  @ApiPropertyOptional({ description: 'Sequence of the last event when the chain is valid' })
  headSequence?: number;
  @ApiPropertyOptional({ description: 'Hash of the last event when the chain is valid' })
  headHash?: string;
}

export class AuditHead {
  @ApiProperty({ description: 'Sequence of the last recorded event (0 when the log is empty)' }) sequence: number;
  @ApiProperty({ description: 'Its hash, which seals every event before it' }) hash: string;
  @ApiProperty() occurredAt: string | null;
}
