import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max,
  MaxLength, Min, ValidateNested,
} from 'class-validator';
import { CRISIS_TYPES, type CrisisType } from '../../common/domain/crisis-types.js';
import { PageQuery } from '../../common/pagination/page.js';
import { IsDepartementCode } from '../../registry/dto/validators.js';
import { DECLINE_REASONS, type DeclineReason, REQUEST_STATUSES, type RequestStatus } from '../domain/mobilization-request.js';

export class OpenCrisisRequest {
  @ApiProperty({ example: 'Crues dans les Alpes-Maritimes et le Var' }) @IsString() @Length(1, 300)
  title: string;

  @ApiProperty({ enum: CRISIS_TYPES }) @IsIn(CRISIS_TYPES)
  type: CrisisType;

  @ApiProperty({ type: [String], example: ['06', '83'] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements: string[];

  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5)
  severity: number;

  @ApiPropertyOptional({ default: false, description: 'An exercise: reported apart from real crises' }) @IsOptional() @IsBoolean()
  exercise?: boolean;
}

export class RequirementRequest {
  @ApiProperty({ example: 'DRONE' }) @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'category must be a category code such as DRONE' })
  category: string;

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100_000)
  quantity: number;

  @ApiPropertyOptional({ type: [String], description: "Default: the crisis's départements" })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];

  @ApiPropertyOptional({ example: '2026-11-22T18:00:00Z' }) @IsOptional() @IsISO8601({ strict: true })
  neededBy?: string;
}

export class PrepareActivationRequest {
  @ApiProperty({ example: 'Décision ministérielle 2026-117' }) @IsString() @Length(1, 300)
  decisionReference: string;

  @ApiProperty({ type: [RequirementRequest] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RequirementRequest)
  requirements: RequirementRequest[];
}

export class EndActivationRequest {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class CrisesFilter extends PageQuery {
  @ApiPropertyOptional({ enum: ['OPEN', 'CLOSED'] }) @IsOptional() @IsIn(['OPEN', 'CLOSED'])
  status?: 'OPEN' | 'CLOSED';

  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  exercise?: boolean;
}

export class MobilizationsFilter extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  activationId?: string;

  @ApiPropertyOptional({ enum: REQUEST_STATUSES }) @IsOptional() @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  memberId?: string;
}

export class AcceptRequest {
  @ApiPropertyOptional({ minimum: 1, description: "Default: the asset's quantity; at most that" }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  quantity?: number;
}

export class DeclineRequest {
  @ApiProperty({ enum: DECLINE_REASONS }) @IsIn(DECLINE_REASONS)
  reasonCode: DeclineReason;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000)
  comment?: string;
}

export class DeployRequest {
  @ApiPropertyOptional({ description: 'When the asset arrived; default now' }) @IsOptional() @IsISO8601({ strict: true })
  arrivedAt?: string;
}

export class CrisisResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: CRISIS_TYPES }) type: CrisisType;
  @ApiProperty({ type: [String] }) departements: string[];
  @ApiProperty() severity: number;
  @ApiProperty() exercise: boolean;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status: string;
  @ApiProperty({ description: 'T0: the activation of the crisis cell' }) openedAt: string;
  @ApiProperty({ nullable: true }) closedAt: string | null;
}

export class ActivationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) crisisId: string;
  @ApiProperty() decisionReference: string;
  @ApiProperty({ enum: ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS', 'FULFILLED', 'CLOSED', 'CANCELLED'] }) status: string;
  @ApiProperty() requestCount: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) requirements: object[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } }) countsByStatus?: Record<string, number>;
}

export class MobilizationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) activationId: string;
  @ApiProperty({ format: 'uuid' }) assetId: string;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: RequestStatus;
  @ApiProperty() ackDeadline: string;
  @ApiProperty({ type: [String] }) allowedResponses: string[];
}
