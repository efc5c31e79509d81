import { ApiProperty, ApiSchema, getSchemaPath, type ParameterObject, type PathItemObject, type ResponsesObject } from '@nestjs/swagger';
import { CRISIS_TYPES, type CrisisType } from '../../common/domain/crisis-types.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { ESCALATION_STEP_KINDS, type EscalationStepKind } from '../domain/mobilization-request.js';

/**
 * The webhooks Renfort sends to members, as OpenAPI 3.1 `webhooks`: the bodies the notification
 * processor builds (notification.processor.ts) and the headers the webhook client sets
 * (webhook-client.ts). test/openapi-webhooks.e2e-spec.ts checks real deliveries against them.
 */

const EXAMPLE_DELIVERY_ID = '8f14e45f-ceea-5167-a5a3-6d3c8f3f0b21';

@ApiSchema({ name: 'WebhookCrisis', description: 'The crisis an activation answers' })
export class WebhookCrisis {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.crisis }) id: string;
  @ApiProperty({ example: 'Crues de la Vésubie' }) title: string;
  @ApiProperty({ enum: CRISIS_TYPES, example: 'NATURAL_DISASTER' }) type: CrisisType;
  @ApiProperty({ description: 'An exercise, not a real crisis: answer as you would, nothing leaves for real', example: false }) exercise: boolean;
  @ApiProperty({ type: [String], description: 'Départements concerned (INSEE codes)', example: ['06'] }) departements: string[];
}

@ApiSchema({ name: 'WebhookActivation', description: 'The ministerial activation the requests belong to' })
export class WebhookActivation {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) id: string;
  @ApiProperty({ description: 'Reference of the ministerial decision', example: 'Décision ministérielle 2026-117' }) decisionReference: string;
  @ApiProperty({ format: 'date-time', description: 'When the minister authorized it', example: '2026-10-03T06:40:00.000Z' }) authorizedAt: string;
  @ApiProperty({ type: WebhookCrisis }) crisis: WebhookCrisis;
}

@ApiSchema({ name: 'WebhookMobilizationRequest', description: 'One request to the member: an asset, under a convention, with its deadlines' })
export class WebhookMobilizationRequest {
  @ApiProperty({ format: 'uuid', description: 'Id of the mobilization request: answer it with POST /api/v1/mobilizations/{id}/...', example: EXAMPLE_ID.request })
  id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.requirement }) requirementId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ example: 'Drone quadrirotor à caméra thermique' }) assetName: string;
  @ApiProperty({ description: 'Category code of the asset', example: 'DRONE' }) category: string;
  @ApiProperty({ format: 'uuid', description: 'The convention the request is made under', example: EXAMPLE_ID.convention }) conventionId: string;
  @ApiProperty({ type: 'integer', description: 'Minutes to acknowledge, from delivery, before the request escalates', example: 30 })
  ackWithinMinutes: number;
  @ApiProperty({ type: 'integer', description: 'Minutes to deploy, from acceptance', example: 240 }) deployWithinMinutes: number;
}

@ApiSchema({
  name: 'MobilizationRequestedWebhook',
  description: 'An activation was authorized: all its requests to this member, in one delivery',
})
export class MobilizationRequestedWebhook {
  @ApiProperty({ enum: ['mobilization.requested'], example: 'mobilization.requested' }) type: 'mobilization.requested';
  @ApiProperty({ format: 'uuid', description: 'Same as the `webhook-id` and `X-Renfort-Delivery` headers', example: EXAMPLE_DELIVERY_ID })
  deliveryId: string;
  @ApiProperty({ type: WebhookActivation }) activation: WebhookActivation;
  @ApiProperty({ type: [WebhookMobilizationRequest], description: 'At least one' }) requests: WebhookMobilizationRequest[];
}

@ApiSchema({ name: 'WebhookContact', description: 'A person reached by an escalation' })
export class WebhookContact {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the crisis cell, which is not a registered contact', example: EXAMPLE_ID.contact })
  id: string | null;
  @ApiProperty({ example: 'Claire Martin' }) name: string;
  @ApiProperty({ example: 'DUTY_OFFICER' }) role: string;
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({ example: 'astreinte@drones-azur.example' }) email: string;
}

@ApiSchema({ name: 'WebhookEscalationStep', description: 'One step of the escalation chain a request took when it was made' })
export class WebhookEscalationStep {
  @ApiProperty({ type: 'integer', example: 1 }) level: number;
  @ApiProperty({ enum: ESCALATION_STEP_KINDS, example: 'MEMBER_CONTACT' }) kind: EscalationStepKind;
  @ApiProperty({ type: WebhookContact, nullable: true }) contact: WebhookContact | null;
  @ApiProperty({ type: String, nullable: true, description: 'The directorate reached, at a directorate step', example: null }) directorateCode: string | null;
}

@ApiSchema({
  name: 'MobilizationEscalatedWebhook',
  description: 'A request was not acknowledged in time: it moved to the next step of its escalation chain',
})
export class MobilizationEscalatedWebhook {
  @ApiProperty({ enum: ['mobilization.escalated'], example: 'mobilization.escalated' }) type: 'mobilization.escalated';
  @ApiProperty({ format: 'uuid', example: EXAMPLE_DELIVERY_ID }) deliveryId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ type: 'integer', description: 'The step reached (1: the next contact after the first)', example: 1 }) level: number;
  @ApiProperty({ type: WebhookContact, nullable: true, description: 'The contact reached at this step; null when it is not a person' })
  contact: WebhookContact | null;
  @ApiProperty({ type: WebhookEscalationStep, nullable: true }) step: WebhookEscalationStep | null;
}

@ApiSchema({ name: 'MobilizationStoodDownWebhook', description: 'A request is no longer needed: do not deploy, or stop' })
export class MobilizationStoodDownWebhook {
  @ApiProperty({ enum: ['mobilization.stood_down'], example: 'mobilization.stood_down' }) type: 'mobilization.stood_down';
  @ApiProperty({ format: 'uuid', example: EXAMPLE_DELIVERY_ID }) deliveryId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({
    description:
      'Why: `requirement met` (other members covered it), `cancel` or `close` (the activation ended), ' +
      '`member suspended` or `member withdrawn` (the member no longer takes part)',
    example: 'requirement met',
  })
  cause: string;
}

@ApiSchema({ name: 'MobilizationDeploymentOverdueWebhook', description: 'An accepted request is past its deployment deadline and not reported deployed' })
export class MobilizationDeploymentOverdueWebhook {
  @ApiProperty({ enum: ['mobilization.deployment_overdue'], example: 'mobilization.deployment_overdue' }) type: 'mobilization.deployment_overdue';
  @ApiProperty({ format: 'uuid', example: EXAMPLE_DELIVERY_ID }) deliveryId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.request }) requestId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.activation }) activationId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.asset }) assetId: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-03T10:40:00.000Z' }) deployDeadline: string;
}

/** Every payload class, for the document's extra models. */
export const WEBHOOK_PAYLOADS = [
  WebhookCrisis, WebhookActivation, WebhookMobilizationRequest, MobilizationRequestedWebhook, WebhookContact, WebhookEscalationStep,
  MobilizationEscalatedWebhook, MobilizationStoodDownWebhook, MobilizationDeploymentOverdueWebhook,
];

/** The headers of every delivery. */
export const WEBHOOK_HEADERS: ParameterObject[] = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      'Standard Webhooks: the delivery id, the same on every retry of one delivery (and the `deliveryId` of the body): ' +
      'a receiver that already handled it answers 2xx and does nothing more.',
    schema: { type: 'string', minLength: 1 },
    example: EXAMPLE_DELIVERY_ID,
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Standard Webhooks: when this attempt was signed, in Unix seconds. Refuse a delivery more than 5 minutes off your clock (a replay).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
    example: '1791009600',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the member\'s ' +
      'secret (`whsec_<base64 key>`: the key is the decoded base64, as every Standard Webhooks library reads it). During the grace period after a secret rotation, one signature per secret still valid, ' +
      'separated by spaces: accept the delivery if any of them matches. Any Standard Webhooks library verifies it ' +
      '(`new Webhook(secret).verify(body, headers)` with the npm `standardwebhooks` package).',
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
  {
    name: 'X-Renfort-Delivery',
    in: 'header',
    required: true,
    description: 'The delivery id, as `webhook-id` (kept for receivers written before the Standard Webhooks headers).',
    schema: { type: 'string', format: 'uuid' },
    example: EXAMPLE_DELIVERY_ID,
  },
  {
    name: 'X-Renfort-Signature',
    in: 'header',
    required: true,
    description:
      'The earlier signature, kept for compatibility: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the ' +
      'secret\'s whole text; during the grace period after a rotation, one `v1=` per secret still valid. Prefer `webhook-signature`.',
    schema: { type: 'string', pattern: '^t=[0-9]+(,v1=[0-9a-f]{64})+$' },
    example: 't=1791009600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  },
];

const RECEIVER_ANSWERS: ResponsesObject = {
  '2XX': { description: 'Received. The body of the answer is ignored.' },
  default: {
    description:
      'Anything else, a redirect included, or no answer within 5 seconds: not delivered. The delivery is tried again, with the ' +
      'same `webhook-id`, a few times with a growing delay; the member sees "not delivered" (and the HTTP status) on its requests.',
  },
};

interface WebhookEvent {
  type: string;
  summary: string;
  description: string;
  payload: new () => object;
}

const EVENTS: WebhookEvent[] = [
  {
    type: 'mobilization.requested',
    summary: 'Resources requested by an authorized activation',
    description:
      'Sent when the minister authorizes an activation that asks for this member\'s assets, with every request to it in one ' +
      'delivery; again, once, with the requests still undelivered, after the member changes its webhook address or secret. ' +
      'Acknowledge each request (`POST /api/v1/mobilizations/{id}/acknowledge`) within `ackWithinMinutes`, then accept or decline it.',
    payload: MobilizationRequestedWebhook,
  },
  {
    type: 'mobilization.escalated',
    summary: 'A request escalated to the next contact',
    description: 'Sent when a request was not acknowledged before its deadline and the next step of its escalation chain is reached.',
    payload: MobilizationEscalatedWebhook,
  },
  {
    type: 'mobilization.stood_down',
    summary: 'A request is stood down',
    description: 'Sent when a request still open is no longer needed: the requirement is met, the activation ends, or the member stops taking part.',
    payload: MobilizationStoodDownWebhook,
  },
  {
    type: 'mobilization.deployment_overdue',
    summary: 'An accepted request is overdue for deployment',
    description: 'Sent once when an accepted request passes its deployment deadline without being reported deployed (`POST .../deploy`).',
    payload: MobilizationDeploymentOverdueWebhook,
  },
];

/** The OpenAPI 3.1 `webhooks` object: one POST per event type, to the member's webhook address. */
export function webhooksObject(tag: string): Record<string, PathItemObject> {
  return Object.fromEntries(
    EVENTS.map((event) => [
      event.type,
      {
        post: {
          operationId: `webhook_${event.type.replace(/\W/g, '_')}`,
          tags: [tag],
          summary: event.summary,
          description:
            `${event.description}\n\nPOSTed as JSON to the member's \`webhookUrl\`, signed with its webhook secret (see the headers); ` +
            'the body\'s `type` names the event. No bearer token is sent: the signature is the proof of origin.',
          // The receiver authenticates the sender by the signature headers, not by an OpenAPI security scheme.
          security: [],
          parameters: WEBHOOK_HEADERS,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: getSchemaPath(event.payload) } } } },
          responses: RECEIVER_ANSWERS,
        },
      },
    ]),
  );
}
