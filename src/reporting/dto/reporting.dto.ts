import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { ACTIVATION_STATUSES } from '../../crisis/domain/activation.js';
import { DECLINE_REASONS, REQUEST_STATUSES, type RequestStatus } from '../../crisis/domain/mobilization-request.js';
import { EDXL_RM_MESSAGE_TYPES, type EdxlRmMessageType, edxlRmMessagePath, edxlRmThread, renderEdxlRmMessage, renderEdxlRmThread } from '../formats/edxl-rm.js';

export class TimelineFilter extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this member's requests", example: EXAMPLE_ID.member }) @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'Only requests now in this status' }) @IsOptional() @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: every entry, one row per event (or send Accept: text/csv), page and pageSize ignored; default: json' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ActivationsOverviewFilter extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: exercises only; false: real crises only; default: both, told apart by `exercise`' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'exercise must be true or false' })
  exercise?: 'true' | 'false';
}

export class ReportFormat {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: one row per member (or send Accept: text/csv); default: json' }) @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

const CONFORMANCE = {
  requests: 'Requests sent',
  accepted: 'Requests accepted',
  declined: 'Requests declined',
  escalated: 'Requests escalated at least once',
  ackOnTime: 'Acknowledged within ackWithinMinutes of the notification',
  ackLate: 'Acknowledged after that',
  ackMissed: 'Never acknowledged (unless stood down before it was due)',
  deployOnTime: 'Deployed within deployWithinMinutes of the acceptance',
  deployLate: 'Deployed after that',
  deployMissed: 'Accepted but never deployed',
} as const;

export class TimelineEntryResponse {
  @ApiProperty({ type: 'integer', description: 'Sequence of the event in the audit log', example: 1291 }) sequence: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T07:02:41.118Z' }) at: string;
  @ApiProperty({ example: 'MobilizationRequestAccepted', description: 'Event type' }) type: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The request the step belongs to, or null', example: EXAMPLE_ID.request })
  requestId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: EXAMPLE_ID.member }) memberId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The member's legal name, for a request's step", example: 'Azur Drones Intervention SAS' })
  memberName: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The asset's name, for a request's step", example: 'Drone à caméra thermique' })
  assetName: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who acted; null for the system' }) actorId: string | null;
  @ApiProperty({ example: 'MEMBER', description: 'A role, or SYSTEM' }) actorRole: string;
  @ApiProperty({ type: String, format: 'email', nullable: true, example: 'astreinte@azur-drones.example.fr' }) actorEmail: string | null;
  @ApiProperty({ type: 'integer', description: 'Milliseconds since T0, the opening of the crisis', example: 3_041_118 }) sinceT0Ms: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Milliseconds since authorization; null before it', example: 1_262_000 })
  sinceAuthorizationMs: number | null;
  @ApiProperty({
    type: 'object', nullable: true, description: 'For an escalation: the step of the chain and whom it reached (a contact, "crisis cell")',
    properties: { level: { type: 'integer' }, kind: { type: 'string', enum: ['MEMBER_CONTACT', 'DIRECTORATE_CONTACT', 'CRISIS_CELL'] }, reached: { type: 'string' } },
    example: { level: 2, kind: 'DIRECTORATE_CONTACT', reached: 'Claire Martin (DGSCGC)' },
  })
  escalation: { level: number; kind: string; reached: string } | null;

  @ApiPropertyOptional({ description: 'For an answer given from an alert: how and by whom', example: 'answered by SMS by contact n°2 (Julien Lefèvre)' })
  answeredBy?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event payload', example: { quantity: 2, activationId: EXAMPLE_ID.activation } })
  details: Record<string, unknown>;
}

export class TimelineResponse extends PageOf(TimelineEntryResponse) {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ format: 'date-time', description: 'The opening of the crisis', example: '2026-11-22T06:12:00.000Z' }) t0: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T06:41:39.118Z' }) authorizedAt: string | null;
}

export class DistributionResponse {
  @ApiProperty({ type: 'integer', description: 'Requests measured', example: 31 }) count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median, in seconds (an observed value)', example: 412 }) p50Seconds: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '90th percentile, in seconds (an observed value)', example: 1260 }) p90Seconds: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2710 }) maxSeconds: number | null;
}

export class ConformanceResponse {
  @ApiProperty({ type: 'integer', description: CONFORMANCE.requests, example: 37 }) requests: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.accepted, example: 8 }) accepted: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.declined, example: 6 }) declined: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.escalated, example: 5 }) escalated: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackOnTime, example: 24 }) ackOnTime: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackLate, example: 7 }) ackLate: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackMissed, example: 2 }) ackMissed: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployOnTime, example: 6 }) deployOnTime: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployLate, example: 1 }) deployLate: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployMissed, example: 1 }) deployMissed: number;
}

export class MemberConformanceResponse extends ConformanceResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) memberId: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) memberName: string;
}

export class DirectorateConformanceResponse extends ConformanceResponse {
  @ApiProperty({ example: 'DGSCGC' }) directorateCode: string;
}

export class DeclineReasonCount {
  @ApiProperty({ enum: DECLINE_REASONS, example: 'CAPACITY_ENGAGED' }) reasonCode: string;
  @ApiProperty({ type: 'integer', example: 4 }) count: number;
}

export class EscalationFigures {
  @ApiProperty({ type: 'integer', description: 'Requests escalated at least once', example: 5 }) requests: number;
  @ApiProperty({ type: 'integer', description: 'Escalation levels reached, summed over the requests', example: 7 }) levels: number;
}

export class RequirementOutcome {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ type: 'integer', example: 1 }) position: number;
  @ApiProperty({ example: 'DRONE' }) category: string;
  @ApiProperty({ type: 'integer', example: 6 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 6 }) acceptedQuantity: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T07:31:05.000Z' }) metAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds from authorization until it was met', example: 2966 }) metAfterSeconds: number | null;
}

export class ActivationReportResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ example: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)' }) crisisTitle: string;
  @ApiProperty({ example: false }) exercise: boolean;
  @ApiProperty({ format: 'date-time', description: 'The opening of the crisis' }) t0: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) authorizedAt: string | null;
  @ApiProperty({ enum: ACTIVATION_STATUSES, example: 'FULFILLED' }) status: string;
  @ApiProperty({ type: 'integer', example: 37 }) requestCount: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { ACCEPTED: 2, DEPLOYED: 4, DECLINED: 6, STOOD_DOWN: 25 } })
  countsByStatus: Record<string, number>;
  @ApiProperty({ type: DistributionResponse, description: 'From authorization to notification' }) timeToNotify: DistributionResponse;
  @ApiProperty({ type: DistributionResponse, description: 'From notification to acknowledgement' }) timeToAcknowledge: DistributionResponse;
  @ApiProperty({ type: DistributionResponse, description: 'From notification to acceptance' }) timeToAccept: DistributionResponse;
  @ApiProperty({ type: DistributionResponse, description: 'From acceptance to deployment' }) timeToDeploy: DistributionResponse;
  @ApiProperty({ type: DistributionResponse, description: 'Alerts to people (email, SMS): from the step of the chain reached to the first message accepted by the mail server or SMS centre' })
  timeToReachPerson: DistributionResponse;
  @ApiProperty({
    type: 'array',
    description: 'Answers given from an alert (email link, SMS code): by channel, the rank of the person in the chain (1: the member\'s first contact) and the answer',
    items: { type: 'object', properties: { channel: { type: 'string', enum: ['email', 'sms'] }, contactRank: { type: 'integer' }, response: { type: 'string' }, count: { type: 'integer' } } },
    example: [{ channel: 'sms', contactRank: 2, response: 'acknowledge', count: 3 }],
  })
  answeredByMessage: { channel: string; contactRank: number; response: string; count: number }[];
  @ApiProperty({ type: ConformanceResponse, description: 'All requests together' }) conformance: ConformanceResponse;
  @ApiProperty({ type: [MemberConformanceResponse], description: 'One row per member: the CSV export' }) byMember: MemberConformanceResponse[];
  @ApiProperty({ type: [DirectorateConformanceResponse] }) byDirectorate: DirectorateConformanceResponse[];
  @ApiProperty({ type: [DeclineReasonCount] }) declineReasons: DeclineReasonCount[];
  @ApiProperty({ type: EscalationFigures }) escalations: EscalationFigures;
  @ApiProperty({ type: [RequirementOutcome] }) requirements: RequirementOutcome[];
}

/** The CSV export of the report: one row per member, RFC 4180, CRLF line breaks. */
export const REPORT_CSV_EXAMPLE =
  'memberId,memberName,requests,accepted,declined,escalated,ackOnTime,ackLate,ackMissed,deployOnTime,deployLate,deployMissed\r\n' +
  `${EXAMPLE_ID.member},Azur Drones Intervention SAS,4,2,1,0,3,1,0,2,0,0\r\n` +
  `${EXAMPLE_ID.otherMember},"Riviera Satcom, télécoms de crise",3,1,2,1,2,0,1,1,0,0\r\n`;

/** A fictional thread (a flood in the Alpes-Maritimes, one drone operator accepting): the examples are built by the exporter itself. */
const EDXL_RM_EXAMPLE_THREAD = edxlRmThread({
  activation: {
    id: EXAMPLE_ID.activation, crisisId: EXAMPLE_ID.crisis, crisisTitle: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)', exercise: false,
    decisionReference: 'DM-2026-117', status: 'IN_PROGRESS', authorizedAt: new Date('2026-11-22T06:41:39.118Z'), endedAt: null, endReason: null,
  },
  requirements: [{ id: EXAMPLE_ID.requirement, category: 'DRONE', quantity: 2, departements: ['06'], neededBy: new Date('2026-11-22T12:00:00Z') }],
  requests: [{
    id: EXAMPLE_ID.request, requirementId: EXAMPLE_ID.requirement, assetId: EXAMPLE_ID.asset, assetName: 'Drone à caméra thermique',
    category: 'DRONE', memberName: 'Azur Drones Intervention SAS', acceptedQuantity: 1, declineReasonCode: null, declineComment: null,
    deployWithinMinutes: 240, createdAt: new Date('2026-11-22T06:41:39.118Z'), acknowledgedAt: new Date('2026-11-22T06:52:10.000Z'),
    acceptedAt: new Date('2026-11-22T07:02:41.118Z'), declinedAt: null, deployedAt: null, releasedAt: null,
  }],
});

/** The thread document, abridged to its first two messages. */
export const EDXL_RM_EXAMPLE = renderEdxlRmThread(EXAMPLE_ID.activation, EDXL_RM_EXAMPLE_THREAD.slice(0, 2));

/** One message: the member's commitment. */
export const EDXL_RM_MESSAGE_EXAMPLE = renderEdxlRmMessage(EDXL_RM_EXAMPLE_THREAD.find((message) => message.type === 'CommitResource')!);

export class EdxlRmMessageLink {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position in the thread, from 1', example: 4 }) n: number;
  @ApiProperty({ enum: EDXL_RM_MESSAGE_TYPES, description: 'EDXL-RM 1.0 message type (the schema it validates against: EDXL-RM<type>.xsd)', example: 'CommitResource' })
  type: EdxlRmMessageType;
  @ApiProperty({ description: 'Where the message is, as application/xml', example: edxlRmMessagePath(EXAMPLE_ID.activation, 4) }) href: string;
}

export class HistoryFiguresResponse {
  @ApiProperty({ type: 'integer', description: 'Activations that asked the subject', example: 3 }) activations: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.requests, example: 9 }) requests: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.accepted, example: 5 }) accepted: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.declined, example: 2 }) declined: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackOnTime, example: 7 }) ackOnTime: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackLate, example: 1 }) ackLate: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.ackMissed, example: 1 }) ackMissed: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployOnTime, example: 4 }) deployOnTime: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployLate, example: 1 }) deployLate: number;
  @ApiProperty({ type: 'integer', description: CONFORMANCE.deployMissed, example: 0 }) deployMissed: number;
  @ApiProperty({ type: Number, nullable: true, description: 'declined / (accepted + declined); null when nothing was answered', example: 0.2857 })
  declineRate: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Committed time to acknowledge: the median of the requests' conventions, in minutes", example: 30 })
  committedAckMinutes: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Measured time from notification to acknowledgement, median, in seconds (an observed value)', example: 412 })
  ackSecondsP50: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The same, 90th percentile', example: 1260 }) ackSecondsP90: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Committed time to deploy once accepted: the median of the requests' conventions, in minutes", example: 240 })
  committedDeployMinutes: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Measured time from acceptance to deployment, median, in seconds (an observed value)', example: 7200 })
  deploySecondsP50: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The same, 90th percentile', example: 10800 }) deploySecondsP90: number | null;
}

export class HistoryEntryResponse extends OmitType(HistoryFiguresResponse, ['activations'] as const) {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ example: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)' }) crisisTitle: string;
  @ApiProperty({ example: false }) exercise: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) authorizedAt: string | null;
}

export class HistorySubject {
  @ApiProperty({ enum: ['member', 'convention', 'directorate'], example: 'member' }) kind: 'member' | 'convention' | 'directorate';
  @ApiProperty({ description: 'The member or convention id (a UUID), or the directorate code', example: EXAMPLE_ID.member }) id: string;
}

export class HistoryReportResponse {
  @ApiProperty({ type: HistorySubject }) subject: HistorySubject;
  @ApiProperty({ type: HistoryFiguresResponse, description: 'Totals over real crises' }) real: HistoryFiguresResponse;
  @ApiProperty({ type: HistoryFiguresResponse, description: 'Totals over exercises, never mixed with real crises' }) exercise: HistoryFiguresResponse;
  @ApiProperty({ type: [HistoryEntryResponse], description: 'One entry per activation, in order of authorization' }) history: HistoryEntryResponse[];
}

export class ActivationOverviewResponse extends OmitType(HistoryFiguresResponse, ['activations'] as const) {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) crisisId: string;
  @ApiProperty({ example: 'Crues de la Vésubie et de la Roya (Alpes-Maritimes)' }) crisisTitle: string;
  @ApiProperty({ description: 'An exercise: its figures are never mixed with real crises', example: false }) exercise: boolean;
  @ApiProperty({ enum: ACTIVATION_STATUSES, example: 'FULFILLED' }) status: string;
  @ApiProperty({ example: 'DM-2026-117' }) decisionReference: string;
  @ApiProperty({ format: 'date-time' }) preparedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) authorizedAt: string | null;
}

export class ActivationOverviewPage extends PageOf(ActivationOverviewResponse) {}

/** The CSV export of a timeline: one row per event, names included. */
export const TIMELINE_CSV_EXAMPLE =
  'sequence,at,sinceT0Seconds,sinceAuthorizationSeconds,step,type,requestId,memberId,memberName,assetName,quantity,escalationLevel,escalationReached,declineReason,answeredBy,actorRole,actorEmail\r\n' +
  `1291,2026-11-22T07:02:41.118Z,3041.1,1262,accepted,MobilizationRequestAccepted,${EXAMPLE_ID.request},${EXAMPLE_ID.member},Azur Drones Intervention SAS,Drone à caméra thermique,1,,,,,MEMBER,astreinte@azur-drones.example.fr\r\n`;
