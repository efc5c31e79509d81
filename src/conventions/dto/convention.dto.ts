import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches,
  Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { CRISIS_TYPES, type CrisisType } from '../../common/domain/crisis-types.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { IsCalendarDate, IsDepartementCode } from '../../registry/dto/validators.js';
import { CONVENTION_STATUSES, type ConventionStatus } from '../domain/convention.js';

export class ScopeRequest {
  @ApiPropertyOptional({ enum: [true], description: 'The whole territory; give this or departements' })
  @IsOptional() @Equals(true, { message: 'scope.national must be true when given' })
  national?: true;

  @ApiPropertyOptional({ type: [String], example: ['06', '83', '04'], description: 'INSEE département codes (01-95 with 2A, 2B; 971-976)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];
}

export class DraftConventionRequest {
  @ApiProperty({ format: 'uuid', description: 'An ACTIVE member', example: EXAMPLE_ID.member }) @IsUUID()
  memberId: string;

  @ApiPropertyOptional({ description: "Only the caller's own directorate is accepted (default: it)", example: 'DGSCGC' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  directorateCode?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: "The member's own assets, none RETIRED", example: [EXAMPLE_ID.asset, EXAMPLE_ID.otherAsset] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true })
  assetIds: string[];

  @ApiProperty({ enum: CRISIS_TYPES, isArray: true, description: 'The crises the assets may be mobilized for', example: ['NATURAL_DISASTER', 'INDUSTRIAL_ACCIDENT'] })
  @IsArray() @ArrayMinSize(1) @IsIn(CRISIS_TYPES, { each: true })
  crisisTypes: CrisisType[];

  @ApiProperty({ type: ScopeRequest, description: 'Where the assets may be mobilized: { national: true } or { departements: [...] }' })
  @ValidateNested() @Type(() => ScopeRequest)
  scope: ScopeRequest;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_080, description: 'Committed time to acknowledge a request, in minutes', example: 30 }) @IsInt() @Min(1) @Max(10_080)
  ackWithinMinutes: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 525_600, description: 'Committed time to deploy once accepted, in minutes', example: 240 }) @IsInt() @Min(1) @Max(525_600)
  deployWithinMinutes: number;

  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'First day in force' }) @IsCalendarDate()
  startsOn: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-31', description: 'Last day in force; default: one year after startsOn' }) @IsOptional() @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-10-01', description: 'Review reminder; default: three months before endsOn' }) @IsOptional() @IsCalendarDate()
  reviewOn?: string;

  @ApiPropertyOptional({ default: false, example: true, description: 'Renewed for one more term at its end unless terminated' }) @IsOptional() @IsBoolean()
  tacitRenewal?: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "The member's contacts for this convention", example: [EXAMPLE_ID.contact] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true })
  memberContactIds?: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "The directorate's contact", example: EXAMPLE_ID.directorateContact })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID()
  directorateContactId?: string | null;
}

export class UpdateConventionRequest {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The rowVersion read; a stale one is refused with 409', example: 2 }) @IsOptional() @IsInt() @Min(1)
  rowVersion?: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "The member's own assets, none RETIRED", example: [EXAMPLE_ID.asset] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true })
  assetIds?: string[];

  @ApiPropertyOptional({ enum: CRISIS_TYPES, isArray: true, example: ['NATURAL_DISASTER'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(CRISIS_TYPES, { each: true })
  crisisTypes?: CrisisType[];

  @ApiPropertyOptional({ type: ScopeRequest, description: '{ national: true } or { departements: [...] }' })
  @IsOptional() @ValidateNested() @Type(() => ScopeRequest)
  scope?: ScopeRequest;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_080, description: 'Minutes to acknowledge', example: 20 })
  @IsOptional() @IsInt() @Min(1) @Max(10_080)
  ackWithinMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 525_600, description: 'Minutes to deploy once accepted', example: 180 })
  @IsOptional() @IsInt() @Min(1) @Max(525_600)
  deployWithinMinutes?: number;

  @ApiPropertyOptional({ format: 'date', example: '2026-02-01' }) @IsOptional() @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-01-31' }) @IsOptional() @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-01' }) @IsOptional() @IsCalendarDate()
  reviewOn?: string;

  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean()
  tacitRenewal?: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid', example: [EXAMPLE_ID.contact] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true })
  memberContactIds?: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null removes it', example: EXAMPLE_ID.directorateContact })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID()
  directorateContactId?: string | null;
}

export class ConventionActionRequest {
  @ApiPropertyOptional({
    maxLength: 1000,
    description: 'Why; required to terminate or reject',
    example: "Le périmètre de la convention ne couvre pas encore le Var : merci d'ajouter le département 83.",
  })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class ConventionsFilter extends PageQuery {
  @ApiPropertyOptional({ enum: CONVENTION_STATUSES, description: 'Only conventions in this status' }) @IsOptional() @IsIn(CONVENTION_STATUSES)
  status?: ConventionStatus;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this member's conventions", example: EXAMPLE_ID.member }) @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ example: 'DGSCGC', description: "Only this directorate's conventions" }) @IsOptional() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  directorateCode?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Conventions whose end date is before this day' })
  @IsOptional() @IsCalendarDate()
  expiringBefore?: string;
}

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value);

export class EligibilityFilter {
  @ApiProperty({ enum: CRISIS_TYPES, description: 'Only conventions covering this crisis type', example: 'NATURAL_DISASTER' }) @IsIn(CRISIS_TYPES)
  crisisType: CrisisType;

  @ApiProperty({ type: String, example: '06,83', description: 'Comma-separated INSEE codes; national assets and conventions match every one' })
  @Transform(toList) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements: string[];

  @ApiProperty({ type: String, example: 'DRONE,SECURE_TELECOM', description: 'Comma-separated category codes' })
  @Transform(toList) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { each: true })
  categories: string[];
}

export class ConventionResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention }) id: string;
  @ApiProperty({ format: 'uuid', description: 'Shared by every version of the convention' }) lineageId: string;
  @ApiProperty({ type: 'integer', example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The version this one amends' }) previousVersionId: string | null;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'DGSCGC' }) directorateCode: string;
  @ApiProperty({ enum: CONVENTION_STATUSES, example: 'ACTIVE' }) status: ConventionStatus;
  @ApiProperty({ type: [String], description: 'What may be done next in this status', example: ['suspend', 'terminate'] })
  allowedActions: string[];
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE_ID.asset] }) assetIds: string[];
  @ApiProperty({ enum: CRISIS_TYPES, isArray: true, example: ['NATURAL_DISASTER'] }) crisisTypes: CrisisType[];
  @ApiProperty({ type: ScopeRequest }) scope: ScopeRequest;
  @ApiProperty({ type: 'integer', example: 30 }) ackWithinMinutes: number;
  @ApiProperty({ type: 'integer', example: 240 }) deployWithinMinutes: number;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) startsOn: string;
  @ApiProperty({ format: 'date', example: '2026-12-31' }) endsOn: string;
  @ApiProperty({ format: 'date', example: '2026-10-01' }) reviewOn: string;
  @ApiProperty({ example: true }) tacitRenewal: boolean;
  @ApiProperty({ type: 'integer', description: 'Terms added by renewal', example: 0 }) renewals: number;
  @ApiProperty({ type: [String], format: 'uuid' }) memberContactIds: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) directorateContactId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Reason given for the last rejection, suspension or termination' }) statusReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) signedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) countersignedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Send it back when editing a DRAFT', example: 3 }) rowVersion: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ConventionPage extends PageOf(ConventionResponse) {}

export class EligibleAssetResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ example: 'Drone quadrirotor à caméra thermique' }) assetName: string;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ type: 'integer', example: 4 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 90 }) leadTimeMinutes: number;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention, description: 'The covering convention with the tightest acknowledgement time' }) conventionId: string;
  @ApiProperty({ example: 'DGSCGC' }) directorateCode: string;
  @ApiProperty({ type: 'integer', example: 30 }) ackWithinMinutes: number;
  @ApiProperty({ type: 'integer', example: 240 }) deployWithinMinutes: number;
}

export class CalendarRunResponse {
  @ApiProperty({ format: 'date', example: '2026-11-22', description: 'The day run (Paris time)' }) day: string;
  @ApiProperty({ type: 'integer', description: 'Conventions that expired', example: 2 }) expired: number;
  @ApiProperty({ type: 'integer', description: 'Conventions tacitly renewed', example: 1 }) renewed: number;
  @ApiProperty({ type: 'integer', description: 'Review reminders sent', example: 3 }) reminded: number;
}

export class ConventionCalendarFilter {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 730, default: 90, description: 'How many days ahead, from today in Paris', example: 90 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(730)
  days: number = 90;
}

export class ConventionCalendarEntryResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention }) conventionId: string;
  @ApiProperty({ format: 'uuid', description: 'Shared by every version of the convention' }) lineageId: string;
  @ApiProperty({ type: 'integer', example: 1 }) version: number;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ example: 'DGSCGC' }) directorateCode: string;
  @ApiProperty({
    enum: ['REVIEW', 'EXPIRY', 'TACIT_RENEWAL'],
    description: 'REVIEW: the review date; EXPIRY: the last day in force of a convention not tacitly renewed; TACIT_RENEWAL: the last day of a term, renewed the next night',
    example: 'REVIEW',
  })
  kind: 'REVIEW' | 'EXPIRY' | 'TACIT_RENEWAL';
  @ApiProperty({ format: 'date', description: 'The review date, or the last day in force', example: '2026-10-01' }) on: string;
  @ApiProperty({ type: 'integer', description: 'Days from today (Paris) to that date; negative for a review already due', example: 12 }) inDays: number;
  @ApiProperty({ format: 'date', example: '2026-10-01' }) reviewOn: string;
  @ApiProperty({ format: 'date', example: '2026-12-31' }) endsOn: string;
  @ApiProperty({ example: false }) tacitRenewal: boolean;
}

export class ConventionCalendarResponse {
  @ApiProperty({ format: 'date', description: 'Today, in Paris', example: '2026-11-24' }) from: string;
  @ApiProperty({ format: 'date', description: 'The last day looked at', example: '2027-02-22' }) to: string;
  @ApiProperty({ type: [ConventionCalendarEntryResponse], description: 'Soonest first; a convention may appear twice (its review and its end)' })
  items: ConventionCalendarEntryResponse[];
}

/** A term's value: a number, a date, a flag, a list of ids or codes, or the scope object. */
const TERM_VALUE = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }];

export class TermChangeResponse {
  @ApiProperty({
    enum: ['assetIds', 'crisisTypes', 'scope', 'ackWithinMinutes', 'deployWithinMinutes', 'startsOn', 'endsOn', 'reviewOn', 'tacitRenewal', 'memberContactIds', 'directorateContactId'],
    example: 'ackWithinMinutes',
  })
  field: string;
  @ApiProperty({ oneOf: TERM_VALUE, nullable: true, description: 'The value in the version compared with, as ConventionResponse gives it', example: 30 })
  before: unknown;
  @ApiProperty({ oneOf: TERM_VALUE, nullable: true, description: 'The value in this version, as ConventionResponse gives it', example: 20 })
  after: unknown;
}

export class ConventionVersionResponse extends ConventionResponse {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the version as its document shows it: the hash printed on GET /conventions/{id}/document', example: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78' })
  hash: string;
  @ApiProperty({ description: 'The version in force (ACTIVE or SUSPENDED)', example: false }) inForce: boolean;
  @ApiProperty({
    type: [TermChangeResponse], nullable: true,
    description: 'What this version changes from the version in force (from the version before it when none is in force); null for the version in force and for the first version',
  })
  changes: TermChangeResponse[] | null;
}

export class ConventionVersionsResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention }) lineageId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The version in force, if any' }) inForceId: string | null;
  @ApiProperty({ type: [ConventionVersionResponse], description: 'Every version, oldest first' }) versions: ConventionVersionResponse[];
}
