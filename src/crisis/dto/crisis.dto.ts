import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max,
  MaxLength, Min, ValidateNested,
} from 'class-validator';
import { CRISIS_TYPES, type CrisisType } from '../../common/domain/crisis-types.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { IsDepartementCode } from '../../registry/dto/validators.js';
import { ACTIVATION_STATUSES } from '../domain/activation.js';
import {
  DECLINE_REASONS, type DeclineReason, ESCALATION_STEP_KINDS, MEMBER_RESPONSES, REQUEST_STATUSES, type RequestStatus,
} from '../domain/mobilization-request.js';

export class OpenCrisisRequest {
  @ApiProperty({ maxLength: 300, example: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)' }) @IsString() @Length(1, 300)
  title: string;

  @ApiProperty({ enum: CRISIS_TYPES, example: 'NATURAL_DISASTER' }) @IsIn(CRISIS_TYPES)
  type: CrisisType;

  @ApiProperty({ type: [String], example: ['06', '83'], description: 'INSEE codes of the départements hit; the default for requirements' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements: string[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4, description: '1 (minor) to 5 (major)' }) @IsInt() @Min(1) @Max(5)
  severity: number;

  @ApiPropertyOptional({ default: false, example: false, description: 'An exercise: reported apart from real crises' }) @IsOptional() @IsBoolean()
  exercise?: boolean;
}

export class RequirementRequest {
  @ApiProperty({ example: 'DRONE', description: 'A category code (GET /categories)' })
  @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'category must be a category code such as DRONE' })
  category: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000, example: 6, description: 'Units needed' }) @IsInt() @Min(1) @Max(100_000)
  quantity: number;

  @ApiPropertyOptional({ type: [String], example: ['06'], description: "Where they are needed; default: the crisis's départements" })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(110) @IsDepartementCode({ each: true })
  departements?: string[];

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-22T18:00:00Z', description: 'When they are needed on site' })
  @IsOptional() @IsISO8601({ strict: true })
  neededBy?: string;
}

export class PrepareActivationRequest {
  @ApiProperty({ maxLength: 300, example: 'Décision ministérielle 2026-117', description: 'Reference of the decision that orders the activation' })
  @IsString() @Length(1, 300)
  decisionReference: string;

  @ApiProperty({
    type: [RequirementRequest],
    description: 'What is needed, by category; each is matched against the eligible assets at authorization',
    example: [
      { category: 'DRONE', quantity: 6, departements: ['06'], neededBy: '2026-11-22T18:00:00Z' },
      { category: 'SECURE_TELECOM', quantity: 20 },
    ],
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RequirementRequest)
  requirements: RequirementRequest[];
}

export class EndActivationRequest {
  @ApiPropertyOptional({ maxLength: 1000, example: 'Décrue constatée, renforts locaux suffisants', description: 'Recorded with the event' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class CrisesFilter extends PageQuery {
  @ApiPropertyOptional({ enum: ['OPEN', 'CLOSED'], description: 'Only crises in this status' }) @IsOptional() @IsIn(['OPEN', 'CLOSED'])
  status?: 'OPEN' | 'CLOSED';

  @ApiPropertyOptional({ description: 'true: exercises only; false: real crises only' }) @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  exercise?: boolean;
}

export class MobilizationsFilter extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this activation's requests", example: EXAMPLE_ID.activation }) @IsOptional() @IsUUID()
  activationId?: string;

  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'Only requests in this status' }) @IsOptional() @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this member's requests (a MEMBER user always sees only its own)", example: EXAMPLE_ID.member })
  @IsOptional() @IsUUID()
  memberId?: string;
}

export class AcceptRequest {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: "Units offered; default: all the asset's units left (its quantity less the units committed to other requests), at most that", example: 2 })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  quantity?: number;
}

export class DeclineRequest {
  @ApiProperty({ enum: DECLINE_REASONS, example: 'CAPACITY_ENGAGED' }) @IsIn(DECLINE_REASONS)
  reasonCode: DeclineReason;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Nos deux drones thermiques sont déjà engagés sur les feux du Var.' })
  @IsOptional() @IsString() @MaxLength(2000)
  comment?: string;
}

export class DeployRequest {
  @ApiPropertyOptional({ format: 'date-time', description: 'When the asset arrived on site; default: now', example: '2026-11-22T16:40:00Z' })
  @IsOptional() @IsISO8601({ strict: true })
  arrivedAt?: string;
}

export class CrisisResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) id: string;
  @ApiProperty({ example: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)' }) title: string;
  @ApiProperty({ enum: CRISIS_TYPES, example: 'NATURAL_DISASTER' }) type: CrisisType;
  @ApiProperty({ type: [String], example: ['06', '83'] }) departements: string[];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4 }) severity: number;
  @ApiProperty({ example: false }) exercise: boolean;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'], example: 'OPEN' }) status: string;
  @ApiProperty({ type: [String], example: ['close'], description: 'What may be done next in this status' }) allowedActions: string[];
  @ApiProperty({ format: 'date-time', description: 'T0: the activation of the crisis cell', example: '2026-11-22T06:12:00.000Z' }) openedAt: string;
  @ApiProperty({ format: 'uuid', description: 'The operator who opened it' }) openedBy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
}

export class CrisisPage extends PageOf(CrisisResponse) {}

export class CrisisActivationSummary {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) id: string;
  @ApiProperty({ enum: ACTIVATION_STATUSES, example: 'IN_PROGRESS' }) status: string;
  @ApiProperty({ example: 'Décision ministérielle 2026-117' }) decisionReference: string;
}

export class CrisisDetailResponse extends CrisisResponse {
  @ApiProperty({ type: [CrisisActivationSummary], description: 'Its activations, in the order they were prepared' })
  activations: CrisisActivationSummary[];
}

export class RequirementResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) id: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Order in the activation, from 1' }) position: number;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ type: 'integer', example: 6 }) quantity: number;
  @ApiProperty({ type: [String], example: ['06'] }) departements: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T18:00:00.000Z' }) neededBy: string | null;
  @ApiProperty({ type: 'integer', description: 'Units accepted so far; never more than quantity', example: 4 }) acceptedQuantity: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the accepted units reached the quantity' }) metAt: string | null;
}

export class ActivationResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ example: 'Décision ministérielle 2026-117' }) decisionReference: string;
  @ApiProperty({ enum: ACTIVATION_STATUSES, example: 'AUTHORIZED' }) status: string;
  @ApiProperty({ format: 'uuid', description: 'The operator who prepared it' }) preparedBy: string;
  @ApiProperty({ format: 'date-time' }) preparedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The minister who authorized it (never the preparer)' }) authorizedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) authorizedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who cancelled or closed it' }) endedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When every requirement was met' }) fulfilledAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Mobilization requests created at authorization', example: 37 }) requestCount: number;
  @ApiProperty({ type: [RequirementResponse] }) requirements: RequirementResponse[];
}

export class ActivationFlagResponse {
  @ApiProperty({ enum: ['DELIVERY_FAILED', 'CHAIN_EXHAUSTED', 'DEPLOYMENT_LATE'], example: 'DELIVERY_FAILED' }) kind: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({
    description: 'For the crisis cell; a delivery error is worded as the member may read it',
    example: 'Not delivered: the endpoint answered HTTP 503',
  })
  message: string;
}

export class EscalationStepResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ type: 'integer', description: 'Step of the chain (0: the member, reached by the delivery)', example: 1 }) level: number;
  @ApiProperty({ enum: ESCALATION_STEP_KINDS, example: 'MEMBER_CONTACT' }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'The contact reached; null for the crisis cell', example: 'Julien Lefèvre' }) contactName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'For a directorate contact', example: 'DGSCGC' }) directorateCode: string | null;
  @ApiProperty({ format: 'date-time' }) reachedAt: string;
}

/** Requests counted by status, as the activation, the board and the report give them. */
export const ApiCountsByStatus = () =>
  ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Requests by status (statuses without requests are left out)',
    example: { NOTIFIED: 12, ACKNOWLEDGED: 9, ACCEPTED: 4, DECLINED: 3, STOOD_DOWN: 9 },
  });

export class ActivationProgressResponse extends ActivationResponse {
  @ApiCountsByStatus()
  countsByStatus: Record<string, number>;

  @ApiProperty({ type: 'integer', description: 'Requests escalated at least once', example: 5 }) escalated: number;
  @ApiProperty({ type: 'integer', description: 'Requests whose webhook delivery finally failed (they can still be polled and answered)', example: 0 })
  deliveryFailures: number;
  @ApiProperty({ type: 'integer', description: 'Requests that reached the crisis cell, the last step of their chain, unanswered', example: 0 })
  chainsExhausted: number;
  @ApiProperty({ type: 'integer', description: 'Accepted requests flagged late: not deployed within the convention\'s time to deploy', example: 0 })
  lateDeployments: number;
  @ApiProperty({ type: [ActivationFlagResponse], description: 'What the crisis cell must act on, oldest first (at most 200)' })
  flags: ActivationFlagResponse[];
  @ApiProperty({ type: [EscalationStepResponse], description: 'Escalation steps reached, with whom they reached, oldest first (at most 200)' })
  escalationSteps: EscalationStepResponse[];
  @ApiProperty({
    type: 'object',
    description: 'Whom the alerts to people (email, SMS) reached: members alerted and reached by at least one person, people alerted and reached (a message sent or delivered), and the messages by channel and status',
    properties: {
      membersAlerted: { type: 'integer' }, membersReached: { type: 'integer' }, peopleAlerted: { type: 'integer' }, peopleReached: { type: 'integer' },
      messages: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
    },
    example: { membersAlerted: 830, membersReached: 812, peopleAlerted: 845, peopleReached: 826, messages: { email: { sent: 790, failed: 12 }, sms: { delivered: 801, failed: 6 } } },
  })
  reach: Record<string, unknown>;
}

export class PreviewAssetResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ example: 'Drone quadrirotor à caméra thermique' }) assetName: string;
  @ApiProperty({ type: 'integer', example: 4 }) quantity: number;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention }) conventionId: string;
  @ApiProperty({ example: 'DGSCGC' }) directorateCode: string;
  @ApiProperty({ type: 'integer', example: 30 }) ackWithinMinutes: number;
  @ApiProperty({ type: 'integer', example: 240 }) deployWithinMinutes: number;
}

export class PreviewMemberResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ type: [PreviewAssetResponse] }) assets: PreviewAssetResponse[];
}

export class PreviewRequirementResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ type: 'integer', example: 1 }) position: number;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ type: 'integer', example: 6 }) quantity: number;
  @ApiProperty({ type: [String], example: ['06'] }) departements: string[];
  @ApiProperty({ type: 'integer', description: 'Units the eligible assets hold together', example: 11 }) eligibleQuantity: number;
  @ApiProperty({ type: [PreviewMemberResponse] }) members: PreviewMemberResponse[];
}

export class ActivationPreviewResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ type: 'integer', description: 'Requests authorizing now would create', example: 37 }) assetCount: number;
  @ApiProperty({ type: [PreviewRequirementResponse] }) requirements: PreviewRequirementResponse[];
}

export class MobilizationResponse {
  @ApiPropertyOptional({
    type: 'array',
    description: 'GET /mobilizations/{id} only: the alerts this request went out on to people, by step, with each message\'s status per method (email, sms)',
    items: {
      type: 'object',
      properties: {
        alertId: { type: 'string', format: 'uuid' }, level: { type: 'integer' }, contactId: { type: 'string', format: 'uuid' }, contactName: { type: 'string' },
        composedAt: { type: 'string', format: 'date-time', nullable: true },
        methods: { type: 'array', items: { type: 'object', properties: {
          channel: { type: 'string', enum: ['email', 'sms'] }, status: { type: 'string', enum: ['queued', 'sent', 'delivered', 'failed'] },
          queuedAt: { type: 'string', format: 'date-time' }, sentAt: { type: 'string', format: 'date-time', nullable: true },
          deliveredAt: { type: 'string', format: 'date-time', nullable: true }, error: { type: 'string', nullable: true },
        } } },
      },
    },
  })
  alerts?: unknown[];

  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.convention, description: 'The convention it is asked under' }) conventionId: string;
  @ApiProperty({ enum: REQUEST_STATUSES, example: 'ACKNOWLEDGED' }) status: RequestStatus;
  @ApiProperty({ type: 'integer', description: "The convention's committed times", example: 30 }) ackWithinMinutes: number;
  @ApiProperty({ type: 'integer', example: 240 }) deployWithinMinutes: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Unacknowledged by then, the request escalates to the next step of its chain; null past the last step (the crisis cell)' })
  ackDeadline: string | null;
  @ApiProperty({ type: 'integer', description: '0, or the step of its escalation chain it reached', example: 0 }) escalationLevel: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 }) acceptedQuantity: number | null;
  @ApiProperty({ type: String, enum: DECLINE_REASONS, nullable: true }) declineReasonCode: string | null;
  @ApiProperty({ type: String, nullable: true }) declineComment: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) notifiedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) declinedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deployedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) releasedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) stoodDownAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastEscalatedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Webhook delivery attempts', example: 1 }) deliveryAttempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when every delivery attempt failed' }) deliveryFailedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why delivery failed, as much as a member may know: "Not delivered: the endpoint answered HTTP n" or "Not delivered: no answer from the endpoint"', example: 'Not delivered: the endpoint answered HTTP 503' }) deliveryError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The first delivery attempt, delivered or not: the acknowledgement deadline runs from it' })
  deliveryStartedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it reached the crisis cell, the last step of its chain, unanswered' })
  chainExhaustedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "Once accepted: deployed by then, as the convention committed" })
  deployDeadline: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was flagged late: accepted and not deployed by its deadline (the member is reminded once)' })
  deploymentLateAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ enum: MEMBER_RESPONSES, isArray: true, description: 'What the member may answer now', example: ['accept', 'decline'] })
  allowedResponses: string[];
}

export class MobilizationPage extends PageOf(MobilizationResponse) {}
