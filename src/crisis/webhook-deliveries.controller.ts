import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { WebhookDeliveriesFilter, WebhookDeliveryAttemptPage } from './dto/webhook-delivery.dto.js';
import { ListWebhookDeliveriesQuery } from './queries/webhook-deliveries.js';

/** What a member's webhook was sent and what it answered: for the company's duty officer. */
@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class WebhookDeliveriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/webhook/deliveries')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({
    summary: "A member's webhook delivery attempts, newest first (ADMIN, or the member itself)",
    description:
      'One item per attempt to POST to the webhook, each retry its own, with the HTTP status answered or why it failed as the member may ' +
      'read it. Kept 30 days.',
  })
  @ApiOkResponse({ type: WebhookDeliveryAttemptPage, description: 'A page of attempts, newest first' })
  deliveries(@CurrentActor() actor: Actor, @Param('id', UuidPipe) memberId: string, @QueryParams() filter: WebhookDeliveriesFilter) {
    return this.queries.execute(new ListWebhookDeliveriesQuery(actor, memberId, filter));
  }
}
