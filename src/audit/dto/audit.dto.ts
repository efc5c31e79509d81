import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, Min, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { CheckpointsCompared, ContradictedCheckpoint } from './checkpoint.dto.js';

export class AuditEventsFilter extends PageQuery {
  @ApiPropertyOptional({ description: 'Id of the aggregate (member, convention, activation...)', example: EXAMPLE_ID.convention })
  @IsOptional() @IsString() @MaxLength(100)
  aggregateId?: string;

  @ApiPropertyOptional({ example: 'Convention', description: 'Kind of aggregate: User, Member, Asset, Convention, Crisis, Activation, MobilizationRequest...' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,60}$/)
  aggregateType?: string;

  @ApiPropertyOptional({ example: 'ConventionCountersigned', description: 'Event type' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,80}$/)
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events recorded for this user', example: EXAMPLE_ID.user })
  @IsOptional() @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'Events at or after this instant (ISO 8601)', example: '2026-11-22T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this instant (ISO 8601)', example: '2026-11-23T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Events with this sequence or later', example: 1200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  fromSequence?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Events with this sequence or earlier', example: 1300 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  toSequence?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'By sequence' })
  @IsOptional() @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class AuditEventView {
  @ApiProperty({ type: 'integer', example: 1287, description: 'Position in the chain, gapless, in commit order' }) sequence: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T14:05:12.481Z' }) occurredAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null for the system (jobs, start-up)' }) actorId: string | null;
  @ApiProperty({ example: 'DIRECTORATE', description: 'A role, or SYSTEM' }) actorRole: string;
  @ApiProperty({ example: 'Convention' }) aggregateType: string;
  @ApiProperty({ example: EXAMPLE_ID.convention }) aggregateId: string;
  @ApiProperty({ example: 'ConventionCountersigned' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { conventionId: EXAMPLE_ID.convention, version: 1 } })
  payload: Record<string, unknown>;
  @ApiProperty({ description: 'Hash of the previous event (hex sha256)', example: '9c1e0b5d4f3a2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d' }) prevHash: string;
  @ApiProperty({ description: 'sha256(prevHash || canonical event), hex', example: '4b7e2a9c1d8f3e6a5b0c9d2e7f4a1b8c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a' }) hash: string;
}

export class AuditEventPage extends PageOf(AuditEventView) {}

export class ChainVerification {
  @ApiProperty({ example: true }) valid: boolean;
  @ApiProperty({ type: 'integer', description: 'Number of events checked', example: 1287 }) checked: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Sequence of the first event that is missing or does not match the chain' })
  firstBrokenSequence?: number;
  @ApiPropertyOptional({
    enum: ['MISSING', 'PREVIOUS_HASH_MISMATCH', 'HASH_MISMATCH', 'TRUNCATED', 'REWRITTEN', 'CHECKPOINT_SIGNATURE_INVALID'],
    description:
      'Why the chain breaks there. TRUNCATED: the log ends before a signed checkpoint; REWRITTEN: the chain holds, but the hash at a ' +
      "checkpoint's sequence is not the signed one; CHECKPOINT_SIGNATURE_INVALID: a checkpoint bears the current key's id without its signature",
  })
  reason?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Sequence of the last event when the chain is valid', example: 1287 })
  headSequence?: number;
  @ApiPropertyOptional({ description: 'Hash of the last event when the chain is valid', example: '4b7e2a9c1d8f3e6a5b0c9d2e7f4a1b8c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a' })
  headHash?: string;
  @ApiPropertyOptional({ type: CheckpointsCompared, description: 'The signed checkpoints the chain was compared with (when the chain itself holds)' })
  checkpoints?: CheckpointsCompared;
  @ApiPropertyOptional({ type: ContradictedCheckpoint, description: 'The checkpoint the log contradicts, when reason is TRUNCATED, REWRITTEN or CHECKPOINT_SIGNATURE_INVALID' })
  contradictedCheckpoint?: ContradictedCheckpoint;
}

export class AuditHead {
  @ApiProperty({ type: 'integer', description: 'Sequence of the last recorded event (0 when the log is empty)', example: 1287 }) sequence: number;
  @ApiProperty({ description: 'Its hash, which seals every event before it', example: '4b7e2a9c1d8f3e6a5b0c9d2e7f4a1b8c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a' }) hash: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T14:05:12.481Z' }) occurredAt: string | null;
}
