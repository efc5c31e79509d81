import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page.js';

/** The events a member's webhook receives (the `type` of each payload, see the OpenAPI webhooks). */
export const WEBHOOK_EVENT_TYPES = ['mobilization.requested', 'mobilization.escalated', 'mobilization.stood_down', 'mobilization.deployment_overdue'] as const;

export class WebhookDeliveriesFilter extends PageQuery {
  @ApiPropertyOptional({ description: 'false: failed attempts only; true: delivered ones only; default: both' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean({ message: 'ok must be true or false' })
  ok?: boolean;
}

export class WebhookDeliveryAttemptResponse {
  @ApiProperty({ description: 'The delivery this attempt carried: the same across its retries (the webhook-id header)', format: 'uuid', example: '8f14e45f-ceea-567a-a8d1-2b5c7e9f0a31' })
  deliveryId: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, description: 'The type of event delivered', example: 'mobilization.requested' })
  eventType: string;

  @ApiProperty({ description: 'The origin of the webhook posted to (scheme, host and port; never the path or query)', example: 'https://alertes.azur-drones.example.fr' })
  urlOrigin: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Which try of the delivery, from 1', example: 1 })
  attempt: number;

  @ApiProperty({ format: 'date-time', description: 'When the attempt was sent' })
  attemptedAt: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The HTTP status the endpoint answered; null when it did not answer', example: 204 })
  httpStatus: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the attempt failed, as the member may read it; null when delivered', example: null })
  error: string | null;

  @ApiProperty({ type: 'integer', description: 'From sending to the answer (or the failure), in milliseconds', example: 87 })
  durationMs: number;

  @ApiProperty({ description: 'true: the endpoint answered 2xx in time', example: true })
  ok: boolean;
}

export class WebhookDeliveryAttemptPage extends PageOf(WebhookDeliveryAttemptResponse) {}
