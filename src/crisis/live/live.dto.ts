import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { ACTIVATION_STATUSES } from '../domain/activation.js';
import { ApiCountsByStatus } from '../dto/crisis.dto.js';
import { DECLINE_REASONS, ESCALATION_STEP_KINDS, REQUEST_STATUSES } from '../domain/mobilization-request.js';

export class ActivationEventsQuery {
  @ApiPropertyOptional({
    description:
      'The sequence after which to start, for a client that cannot set the Last-Event-ID header (the header wins when both are given): ' +
      'the `asOfSequence` of the board just read, or the `id` of the last message received. Without either, the stream starts from the activation\'s first event.',
    pattern: '^[0-9]{1,15}$',
    example: '4182',
  })
  @IsOptional()
  @Matches(/^[0-9]{1,15}$/, { message: 'lastEventId must be a sequence number (a non-negative integer)' })
  lastEventId?: string;
}

@ApiSchema({ description: 'The JSON of the `data:` line of each message of an activation\'s event stream' })
export class ActivationEventMessage {
  @ApiProperty({ type: 'integer', example: 4183, description: 'The audit log sequence; also the message `id`, the value to resume after' }) sequence: number;
  @ApiProperty({ example: 'MobilizationRequestAccepted', description: 'The event type; also the message `event`' }) type: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ enum: ['Activation', 'MobilizationRequest'], example: 'MobilizationRequest' }) aggregateType: string;
  @ApiProperty({ example: EXAMPLE_ID.request, description: 'The activation or the request the event is about' }) aggregateId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: EXAMPLE_ID.request, description: 'The request, when the event is about one' })
  requestId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: EXAMPLE_ID.member }) memberId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Azur Drones Intervention SAS' }) memberName: string | null;
  @ApiProperty({ example: 'MEMBER', description: 'The role of who caused it (SYSTEM for deliveries and escalations)' }) actorRole: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event as the audit log recorded it (`from`, `to`, `quantity`, `reasonCode`, `cause`, `step`, `nextDeadline`...)',
    example: { activationId: EXAMPLE_ID.activation, memberId: EXAMPLE_ID.member, from: 'NOTIFIED', to: 'ACCEPTED', quantity: 2 },
  })
  payload: Record<string, unknown>;
}

export class ActivationEventsPage {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ type: [ActivationEventMessage], description: 'The events after the sequence asked, in order, at most 2,000' })
  items: ActivationEventMessage[];
  @ApiProperty({ type: 'integer', example: 4183, description: 'The last sequence of this page (the one asked when empty): ask again after it' })
  lastSequence: number;
  @ApiProperty({ example: false, description: 'Whether more events follow: ask again with lastEventId=lastSequence' }) more: boolean;
}

export class BoardRequirement {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ type: 'integer', example: 1 }) position: number;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ type: 'integer', example: 6, description: 'Units asked' }) asked: number;
  @ApiProperty({ type: 'integer', example: 4, description: 'Units accepted toward it (never more than asked)' }) accepted: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Units of the accepted requests that arrived on site' }) deployed: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Units given back (released)' }) released: number;
  @ApiProperty({ type: 'integer', example: 12, description: 'Requests made for it' }) requests: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) metAt: string | null;
}

export class BoardStep {
  @ApiProperty({ type: 'integer', example: 1, description: 'Step of the chain (0: the member\'s first contact)' }) level: number;
  @ApiProperty({ enum: ESCALATION_STEP_KINDS, example: 'MEMBER_CONTACT' }) kind: string;
  @ApiProperty({ type: String, nullable: true, example: 'Julien Lefèvre', description: 'Null for the crisis cell' }) contactName: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+33612345678' }) contactPhone: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'DGSCGC', description: 'For a directorate contact' }) directorateCode: string | null;
}

export class BoardNextStep extends BoardStep {
  @ApiProperty({ format: 'date-time', description: 'When the request escalates to this step unless acknowledged' }) dueAt: string;
}

export class BoardDelivery {
  @ApiProperty({ enum: ['NOT_STARTED', 'RETRYING', 'DELIVERED', 'FAILED'], example: 'DELIVERED', description: 'The notification to the member (webhook, or its poll)' })
  status: string;
  @ApiProperty({ type: 'integer', example: 1 }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Not delivered: the endpoint answered HTTP 503' }) error: string | null;
}

export class BoardRequest {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ example: 'Drone DJI Matrice 350' }) assetName: string;
  @ApiProperty({ enum: REQUEST_STATUSES, example: 'ESCALATED' }) status: string;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'Units accepted' }) acceptedQuantity: number | null;
  @ApiProperty({ type: BoardStep, nullable: true, description: 'The step of the chain reached so far' }) currentStep: BoardStep | null;
  @ApiProperty({
    type: BoardNextStep,
    nullable: true,
    description: 'While it awaits acknowledgement: the next step, whom to call next and when it is due; null otherwise or past the last step',
  })
  nextStep: BoardNextStep | null;
  @ApiProperty({ type: BoardDelivery }) delivery: BoardDelivery;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}

export class BoardMember {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { ACCEPTED: 1, ESCALATED: 1 }, description: 'Its requests by status' })
  countsByStatus: Record<string, number>;
  @ApiProperty({ type: [BoardRequest] }) requests: BoardRequest[];
}

export class BoardDeclined {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({ enum: DECLINE_REASONS, example: 'NOT_AVAILABLE' }) reasonCode: string;
  @ApiProperty({ type: String, nullable: true, example: 'Équipe déjà engagée dans le Gard' }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class BoardStoodDown {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'requirement met',
    description: 'Why, as recorded: `requirement met`, `cancel`, `close`, or the member\'s suspension or withdrawal',
  })
  cause: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class ActivationBoardResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ enum: ACTIVATION_STATUSES, example: 'IN_PROGRESS' }) status: string;
  @ApiProperty({ example: 'Décision ministérielle 2026-117' }) decisionReference: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) authorizedAt: string | null;
  @ApiProperty({
    type: 'integer',
    example: 4182,
    description:
      'The last audit sequence this answer includes: open the event stream after it (`Last-Event-ID` or `?lastEventId=`). ' +
      'An event after it may already show here; applying it again changes nothing.',
  })
  asOfSequence: number;
  @ApiProperty({ type: 'integer', example: 37 }) requestCount: number;
  @ApiCountsByStatus()
  countsByStatus: Record<string, number>;
  @ApiProperty({ type: [BoardRequirement] }) requirements: BoardRequirement[];
  @ApiProperty({ type: [BoardMember], description: 'Every member asked, by name, with its requests' }) members: BoardMember[];
  @ApiProperty({ type: [BoardDeclined] }) declined: BoardDeclined[];
  @ApiProperty({ type: [BoardStoodDown] }) stoodDown: BoardStoodDown[];
}
