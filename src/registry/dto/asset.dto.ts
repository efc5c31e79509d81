import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID,
  Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { ASSET_STATUSES, type AssetStatus, OWNER_SETTABLE_STATUSES, type OwnerSettableStatus } from '../domain/asset.js';
import { IsDepartementCode } from './validators.js';

export class CoverageRequest {
  @ApiPropertyOptional({ enum: [true], description: 'The asset can be deployed anywhere' })
  @IsOptional() @Equals(true, { message: 'coverage.national must be true when given' })
  national?: true;

  @ApiPropertyOptional({ type: [String], example: ['06', '83'], description: 'INSEE département codes' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];
}

const CATEGORY_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export class DeclareAssetRequest {
  @ApiProperty({ example: 'DRONE' }) @IsString() @Matches(CATEGORY_CODE, { message: 'category must be a category code such as DRONE' })
  category: string;

  @ApiProperty({ example: 'Quadcopter with thermal camera' }) @IsString() @Length(1, 300)
  name: string;

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(1_000_000)
  quantity: number;

  @ApiProperty({ minimum: 0, description: 'Minutes from request to deployment' }) @IsInt() @Min(0) @Max(525_600)
  leadTimeMinutes: number;

  @ApiProperty({ type: CoverageRequest }) @ValidateNested() @Type(() => CoverageRequest)
  coverage: CoverageRequest;

  @ApiPropertyOptional({ minimum: 1, maximum: 4 }) @IsOptional() @IsInt() @Min(1) @Max(4)
  capabilityTier?: number;

  @ApiPropertyOptional({ example: 'CONFIDENTIEL DEFENSE', description: 'Clearance level, for experts' })
  @IsOptional() @IsString() @MaxLength(100)
  clearance?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the caller\'s own member is accepted' })
  @IsOptional() @IsUUID()
  memberId?: string;
}

export class UpdateAssetRequest {
  @ApiProperty({ description: 'The version read; a stale one is refused with 409' }) @IsInt() @Min(1)
  version: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(CATEGORY_CODE, { message: 'category must be a category code such as DRONE' })
  category?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 300)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  quantity?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(525_600)
  leadTimeMinutes?: number;

  @ApiPropertyOptional({ type: CoverageRequest }) @IsOptional() @ValidateNested() @Type(() => CoverageRequest)
  coverage?: CoverageRequest;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(4)
  capabilityTier?: number | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100)
  clearance?: string | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(4000)
  description?: string | null;

  @ApiPropertyOptional({ enum: OWNER_SETTABLE_STATUSES, description: 'ENGAGED is set only by an activation' })
  @IsOptional() @IsIn(OWNER_SETTABLE_STATUSES)
  status?: OwnerSettableStatus;
}

export class UnavailabilityRequest {
  @ApiProperty({ example: '2026-12-01T08:00:00Z' }) @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ example: '2026-12-03T18:00:00Z' }) @IsISO8601({ strict: true })
  to: string;

  @ApiProperty({ example: 'Maintenance' }) @IsString() @Length(1, 1000)
  reason: string;
}

export const ASSET_SORTS = ['createdAt', 'name', 'leadTimeMinutes', 'quantity', 'attestedAt'] as const;
export type AssetSort = (typeof ASSET_SORTS)[number];

export class AssetsFilter extends PageQuery {
  @ApiPropertyOptional({ example: 'DRONE' }) @IsOptional() @Matches(CATEGORY_CODE)
  category?: string;

  @ApiPropertyOptional({ example: '06', description: 'National assets match every département' })
  @IsOptional() @IsDepartementCode()
  departement?: string;

  @ApiPropertyOptional({ enum: ASSET_STATUSES }) @IsOptional() @IsIn(ASSET_STATUSES)
  status?: AssetStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ description: 'true: not attested within the readiness period' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  stale?: boolean;

  @ApiPropertyOptional({ enum: ASSET_SORTS, default: 'createdAt' }) @IsOptional() @IsIn(ASSET_SORTS)
  sort: AssetSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class UnavailabilityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() reason: string;
}

export class AssetResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty() category: string;
  @ApiProperty() name: string;
  @ApiProperty() quantity: number;
  @ApiProperty() leadTimeMinutes: number;
  @ApiProperty({ type: CoverageRequest }) coverage: CoverageRequest;
  @ApiProperty({ nullable: true }) capabilityTier: number | null;
  @ApiProperty({ nullable: true }) clearance: string | null;
  @ApiProperty({ nullable: true }) description: string | null;
  @ApiProperty({ enum: ASSET_STATUSES }) status: AssetStatus;
  @ApiProperty() attestedAt: string;
  @ApiProperty({ description: 'Not attested within the readiness period: not eligible' }) stale: boolean;
  @ApiProperty({ description: 'Inside an unavailability window now' }) unavailableNow: boolean;
  @ApiProperty({ type: [UnavailabilityResponse], description: 'Current and future windows' }) unavailability: UnavailabilityResponse[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class AssetPage extends PageOf(AssetResponse) {}
