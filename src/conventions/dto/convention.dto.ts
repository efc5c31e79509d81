import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches,
  Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { CRISIS_TYPES, type CrisisType } from '../../common/domain/crisis-types.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { IsCalendarDate, IsDepartementCode } from '../../registry/dto/validators.js';
import { CONVENTION_STATUSES, type ConventionStatus } from '../domain/convention.js';

export class ScopeRequest {
  @ApiPropertyOptional({ enum: [true] })
  @IsOptional() @Equals(true, { message: 'scope.national must be true when given' })
  national?: true;

  @ApiPropertyOptional({ type: [String], example: ['06', '83'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];
}

export class DraftConventionRequest {
  @ApiProperty({ format: 'uuid', description: 'An ACTIVE member' }) @IsUUID()
  memberId: string;

  @ApiPropertyOptional({ description: "Only the caller's own directorate is accepted" })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  directorateCode?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: "The member's own assets, none RETIRED" })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true })
  assetIds: string[];

  @ApiProperty({ enum: CRISIS_TYPES, isArray: true })
  @IsArray() @ArrayMinSize(1) @IsIn(CRISIS_TYPES, { each: true })
  crisisTypes: CrisisType[];

  @ApiProperty({ type: ScopeRequest, description: '{ national: true } or { departements: [...] }' })
  @ValidateNested() @Type(() => ScopeRequest)
  scope: ScopeRequest;

  @ApiProperty({ minimum: 1, description: 'Committed time to acknowledge a request' }) @IsInt() @Min(1) @Max(10_080)
  ackWithinMinutes: number;

  @ApiProperty({ minimum: 1, description: 'Committed time to deploy once accepted' }) @IsInt() @Min(1) @Max(525_600)
  deployWithinMinutes: number;

  @ApiProperty({ example: '2026-01-01' }) @IsCalendarDate()
  startsOn: string;

  @ApiPropertyOptional({ example: '2027-01-01', description: 'Default: one year after startsOn' }) @IsOptional() @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional({ description: 'Default: three months before endsOn' }) @IsOptional() @IsCalendarDate()
  reviewOn?: string;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean()
  tacitRenewal?: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "The member's contacts for this convention" })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true })
  memberContactIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: "The directorate's contact" })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID()
  directorateContactId?: string | null;
}

export class UpdateConventionRequest {
  @ApiPropertyOptional({ description: 'The rowVersion read; a stale one is refused with 409' }) @IsOptional() @IsInt() @Min(1)
  rowVersion?: number;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true })
  assetIds?: string[];

  @ApiPropertyOptional({ enum: CRISIS_TYPES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(CRISIS_TYPES, { each: true })
  crisisTypes?: CrisisType[];

  @ApiPropertyOptional({ type: ScopeRequest }) @IsOptional() @ValidateNested() @Type(() => ScopeRequest)
  scope?: ScopeRequest;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10_080)
  ackWithinMinutes?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(525_600)
  deployWithinMinutes?: number;

  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  reviewOn?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  tacitRenewal?: boolean;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true })
  memberContactIds?: string[];

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID()
  directorateContactId?: string | null;
}

export class ConventionActionRequest {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Required to terminate or reject' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class ConventionsFilter extends PageQuery {
  @ApiPropertyOptional({ enum: CONVENTION_STATUSES }) @IsOptional() @IsIn(CONVENTION_STATUSES)
  status?: ConventionStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ example: 'DGSCGC' }) @IsOptional() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  directorateCode?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Conventions whose end date is before this day' })
  @IsOptional() @IsCalendarDate()
  expiringBefore?: string;
}

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value);

export class EligibilityFilter {
  @ApiProperty({ enum: CRISIS_TYPES }) @IsIn(CRISIS_TYPES)
  crisisType: CrisisType;

  @ApiProperty({ type: String, example: '06,83', description: 'Comma-separated INSEE codes' })
  @Transform(toList) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements: string[];

  @ApiProperty({ type: String, example: 'DRONE,SECURE_TELECOM', description: 'Comma-separated category codes' })
  @Transform(toList) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { each: true })
  categories: string[];
}

export class ConventionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'Shared by every version of the convention' }) lineageId: string;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true }) previousVersionId: string | null;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty() directorateCode: string;
  @ApiProperty({ enum: CONVENTION_STATUSES }) status: ConventionStatus;
  @ApiProperty({ type: [String] }) allowedActions: string[];
  @ApiProperty({ type: [String] }) assetIds: string[];
  @ApiProperty({ enum: CRISIS_TYPES, isArray: true }) crisisTypes: CrisisType[];
  @ApiProperty({ type: ScopeRequest }) scope: ScopeRequest;
  @ApiProperty() ackWithinMinutes: number;
  @ApiProperty() deployWithinMinutes: number;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty() reviewOn: string;
  @ApiProperty() tacitRenewal: boolean;
  @ApiProperty() renewals: number;
  @ApiProperty({ type: [String] }) memberContactIds: string[];
  @ApiProperty({ nullable: true }) directorateContactId: string | null;
  @ApiProperty({ nullable: true }) statusReason: string | null;
  @ApiProperty({ nullable: true }) signedAt: string | null;
  @ApiProperty({ nullable: true }) countersignedAt: string | null;
  @ApiProperty() rowVersion: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ConventionPage extends PageOf(ConventionResponse) {}

export class EligibleAssetResponse {
  @ApiProperty({ format: 'uuid' }) assetId: string;
  @ApiProperty() assetName: string;
  @ApiProperty() category: string;
  @ApiProperty() quantity: number;
  @ApiProperty() leadTimeMinutes: number;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty() memberName: string;
  @ApiProperty({ format: 'uuid' }) conventionId: string;
  @ApiProperty() directorateCode: string;
  @ApiProperty() ackWithinMinutes: number;
  @ApiProperty() deployWithinMinutes: number;
}

export class CalendarRunResponse {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty() expired: number;
  @ApiProperty() renewed: number;
  @ApiProperty() reminded: number;
}
