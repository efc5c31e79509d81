import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID,
  Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { ASSET_STATUSES, type AssetStatus, OWNER_SETTABLE_STATUSES, type OwnerSettableStatus } from '../domain/asset.js';
import { IsDepartementCode } from './validators.js';

export class CoverageRequest {
  @ApiPropertyOptional({ enum: [true], description: 'The asset can be deployed anywhere; give this or departements' })
  @IsOptional() @Equals(true, { message: 'coverage.national must be true when given' })
  national?: true;

  @ApiPropertyOptional({ type: [String], example: ['06', '83', '04'], description: 'INSEE département codes (01-95 with 2A, 2B; 971-976)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];
}

const CATEGORY_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export class DeclareAssetRequest {
  @ApiProperty({ example: 'DRONE', description: 'A category code (GET /categories)' })
  @IsString() @Matches(CATEGORY_CODE, { message: 'category must be a category code such as DRONE' })
  category: string;

  @ApiProperty({ maxLength: 300, example: 'Drone quadrirotor à caméra thermique' }) @IsString() @Length(1, 300)
  name: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 4, description: 'Identical units offered' }) @IsInt() @Min(1) @Max(1_000_000)
  quantity: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 525_600, description: 'Minutes from request to deployment', example: 90 })
  @IsInt() @Min(0) @Max(525_600)
  leadTimeMinutes: number;

  @ApiProperty({ type: CoverageRequest, description: 'Where it can be deployed: { national: true } or { departements: [...] }' })
  @ValidateNested() @Type(() => CoverageRequest)
  coverage: CoverageRequest;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 4, example: 2, description: '1 (basic) to 4 (most capable)' })
  @IsOptional() @IsInt() @Min(1) @Max(4)
  capabilityTier?: number;

  @ApiPropertyOptional({ maxLength: 100, example: 'DIFFUSION RESTREINTE', description: 'Clearance level, for experts' })
  @IsOptional() @IsString() @MaxLength(100)
  clearance?: string;

  @ApiPropertyOptional({
    maxLength: 4000,
    example: 'Autonomie 40 min, caméra thermique 640x512, télépilotes certifiés STS-01, transport en fourgon depuis Nice.',
  })
  @IsOptional() @IsString() @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the caller\'s own member is accepted (default: it)', example: EXAMPLE_ID.member })
  @IsOptional() @IsUUID()
  memberId?: string;
}

export class UpdateAssetRequest {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version read; a stale one is refused with 409', example: 3 }) @IsInt() @Min(1)
  version: number;

  @ApiPropertyOptional({ example: 'DRONE' })
  @IsOptional() @IsString() @Matches(CATEGORY_CODE, { message: 'category must be a category code such as DRONE' })
  category?: string;

  @ApiPropertyOptional({ maxLength: 300, example: 'Drone quadrirotor à caméra thermique (2e génération)' }) @IsOptional() @IsString() @Length(1, 300)
  name?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 5 }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  quantity?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 525_600, example: 60 }) @IsOptional() @IsInt() @Min(0) @Max(525_600)
  leadTimeMinutes?: number;

  @ApiPropertyOptional({ type: CoverageRequest }) @IsOptional() @ValidateNested() @Type(() => CoverageRequest)
  coverage?: CoverageRequest;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 4, nullable: true, example: 3 }) @IsOptional() @IsInt() @Min(1) @Max(4)
  capabilityTier?: number | null;

  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true, description: 'null removes it' }) @IsOptional() @IsString() @MaxLength(100)
  clearance?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 4000, nullable: true, example: 'Deux batteries de rechange par drone, relève des télépilotes toutes les 4 h.' })
  @IsOptional() @IsString() @MaxLength(4000)
  description?: string | null;

  @ApiPropertyOptional({ enum: OWNER_SETTABLE_STATUSES, description: 'ENGAGED is set only by an activation', example: 'AVAILABLE' })
  @IsOptional() @IsIn(OWNER_SETTABLE_STATUSES)
  status?: OwnerSettableStatus;
}

export class UnavailabilityRequest {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00Z', description: 'Start of the window' }) @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T18:00:00Z', description: 'End of the window, after from' }) @IsISO8601({ strict: true })
  to: string;

  @ApiProperty({ maxLength: 1000, example: 'Révision annuelle des moteurs et recalibrage des caméras' }) @IsString() @Length(1, 1000)
  reason: string;
}

export const ASSET_SORTS = ['createdAt', 'name', 'leadTimeMinutes', 'quantity', 'attestedAt'] as const;
export type AssetSort = (typeof ASSET_SORTS)[number];

export class AssetsFilter extends PageQuery {
  @ApiPropertyOptional({ example: 'DRONE', description: 'Only assets of this category' }) @IsOptional() @Matches(CATEGORY_CODE)
  category?: string;

  @ApiPropertyOptional({ example: '06', description: 'National assets match every département' })
  @IsOptional() @IsDepartementCode()
  departement?: string;

  @ApiPropertyOptional({ enum: ASSET_STATUSES, description: 'Only assets in this status' }) @IsOptional() @IsIn(ASSET_STATUSES)
  status?: AssetStatus;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this member's assets (a MEMBER user always sees only its own)", example: EXAMPLE_ID.member })
  @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ description: 'true: not attested within the readiness period' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  stale?: boolean;

  @ApiPropertyOptional({ enum: ASSET_SORTS, default: 'createdAt', description: 'Sort key' }) @IsOptional() @IsIn(ASSET_SORTS)
  sort: AssetSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Sort direction' }) @IsOptional() @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class UnavailabilityResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.unavailability }) id: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' }) from: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T18:00:00.000Z' }) to: string;
  @ApiProperty({ example: 'Révision annuelle des moteurs et recalibrage des caméras' }) reason: string;
}

export class AssetResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ example: 'Drone quadrirotor à caméra thermique' }) name: string;
  @ApiProperty({ type: 'integer', example: 4 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Units held by accepted or deployed requests, across all activations (the capacity ledger)' })
  committedQuantity: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Units an activation may still ask for: quantity less committedQuantity' })
  remainingQuantity: number;
  @ApiProperty({ type: 'integer', example: 90 }) leadTimeMinutes: number;
  @ApiProperty({ type: CoverageRequest }) coverage: CoverageRequest;
  // Left out of the answer to the declaration when the request left them out; null in every other answer.
  @ApiProperty({ type: 'integer', nullable: true, example: 2, description: 'Null when not given' })
  capabilityTier: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null when not given' })
  clearance: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null when not given' })
  description: string | null;
  @ApiProperty({ enum: ASSET_STATUSES, example: 'AVAILABLE' }) status: AssetStatus;
  @ApiProperty({ format: 'date-time', description: 'Last confirmation that it is ready' }) attestedAt: string;
  @ApiProperty({ description: 'Not attested within the readiness period: not eligible' }) stale: boolean;
  @ApiProperty({ description: 'Inside an unavailability window now' }) unavailableNow: boolean;
  @ApiProperty({ type: [UnavailabilityResponse], description: 'Current and future windows' }) unavailability: UnavailabilityResponse[];
  @ApiProperty({ type: 'integer', description: 'Send it back when editing', example: 3 }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AssetPage extends PageOf(AssetResponse) {}
