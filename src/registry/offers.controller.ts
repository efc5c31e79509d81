import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParams, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { RecordOfferCommand, TriageOfferCommand } from './commands/offer-commands.js';
import { AcceptOfferRequest, OfferPage, OfferResponse, OffersFilter, RecordOfferRequest, RejectOfferRequest } from './dto/offer.dto.js';
import { ListOffersQuery } from './queries/offer-queries.js';
import { RefuseChargesInterceptor } from './refuse-charges.interceptor.js';

@ApiTags('unsolicited offers')
@ApiBearerAuth()
@Controller('offers')
export class OffersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  // Auditors read and change nothing, offers included.
  @Roles('ADMIN', 'MEMBER', 'DIRECTORATE', 'CRISIS_OPERATOR', 'MINISTER')
  @UseInterceptors(RefuseChargesInterceptor)
  @ApiOperation({ summary: 'Record a spontaneous offer; it lands QUARANTINED, never eligible until triaged (any signed-in user but AUDITOR)' })
  @ApiCreatedResponse({ type: OfferResponse })
  record(@CurrentActor() actor: Actor, @Body() body: RecordOfferRequest) {
    return this.commands.execute(new RecordOfferCommand(actor, body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Offers: all for ADMIN and AUDITOR, the ones recorded by the caller otherwise' })
  @ApiOkResponse({ type: OfferPage })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: OffersFilter) {
    return this.queries.execute(new ListOffersQuery(actor, filter));
  }

  @Post(':id/accept')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept into the registry, linked to the member (and asset) registered the normal way (ADMIN)' })
  @ApiOkResponse({ type: OfferResponse })
  accept(@CurrentActor() actor: Actor, @Param('id', UuidPipe) offerId: string, @Body() body: AcceptOfferRequest) {
    return this.commands.execute(new TriageOfferCommand(actor, offerId, { action: 'accept', ...body }));
  }

  @Post(':id/reject')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject, with a reason (ADMIN)' })
  @ApiOkResponse({ type: OfferResponse })
  reject(@CurrentActor() actor: Actor, @Param('id', UuidPipe) offerId: string, @Body() body: RejectOfferRequest) {
    return this.commands.execute(new TriageOfferCommand(actor, offerId, { action: 'reject', reason: body.reason }));
  }
}
