import { Body, Controller, Get, HttpCode, Param, Post, Query as QueryParams, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { RecordOfferCommand, TriageOfferCommand } from './commands/offer-commands.js';
import { GRATUITY_MESSAGE } from './domain/gratuity.js';
import { AcceptOfferRequest, OfferPage, OfferResponse, OffersFilter, RecordOfferRequest, RejectOfferRequest } from './dto/offer.dto.js';
import { ListOffersQuery } from './queries/offer-queries.js';
import { RefuseChargesInterceptor } from './refuse-charges.interceptor.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';

const ALREADY_TRIAGED = ApiErrorResponse(409, 'The offer was already accepted or rejected.', {
  code: 'UNSOLICITED_OFFER.ILLEGAL_TRANSITION',
  message: 'Cannot accept an unsolicited offer that is REJECTED; allowed from REJECTED: nothing (final state)',
});

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
  @ApiCreatedResponse({ type: OfferResponse, description: 'The offer, status QUARANTINED' })
  @ApiErrorResponse(
    400,
    'A body carrying a price, cost, fee or rate, at any depth, is refused (`CHARTER.GRATUITY`): the charter\'s resources are free of charge.',
    { code: 'CHARTER.GRATUITY', message: `${GRATUITY_MESSAGE} (refused: pricePerDay)` },
  )
  record(@CurrentActor() actor: Actor, @Body() body: RecordOfferRequest) {
    return this.commands.execute(new RecordOfferCommand(actor, body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Offers: all for ADMIN and AUDITOR, the ones recorded by the caller otherwise' })
  @ApiOkResponse({ type: OfferPage, description: 'A page of offers, newest first' })
  list(@CurrentActor() actor: Actor, @QueryParams() filter: OffersFilter) {
    return this.queries.execute(new ListOffersQuery(actor, filter));
  }

  @Post(':id/accept')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept into the registry, linked to the member (and asset) registered the normal way (ADMIN)' })
  @ApiOkResponse({ type: OfferResponse, description: 'The offer, ACCEPTED and linked' })
  @ApiErrorResponse(400, 'memberId names no registered member, or assetId no asset of that member.', {
    code: 'REQUEST.INVALID',
    message: 'Invalid request: assetId does not name an asset of that member',
  })
  @ApiErrorResponse(
    409,
    'The offer was already accepted or rejected, or the member it would join is not ACTIVE (an offer joins only an ACTIVE member).',
    { code: 'UNSOLICITED_OFFER.ILLEGAL_TRANSITION', message: 'Cannot accept an unsolicited offer that is REJECTED; allowed from REJECTED: nothing (final state)' },
    { code: 'MEMBER.NOT_ACTIVE', message: `Member ${EXAMPLE_ID.member} is WITHDRAWN: an unsolicited offer cannot be accepted into it; only an ACTIVE member can` },
  )
  accept(@CurrentActor() actor: Actor, @Param('id', UuidPipe) offerId: string, @Body() body: AcceptOfferRequest) {
    return this.commands.execute(new TriageOfferCommand(actor, offerId, { action: 'accept', ...body }));
  }

  @Post(':id/reject')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject, with a reason (ADMIN)' })
  @ApiOkResponse({ type: OfferResponse, description: 'The offer, REJECTED' })
  @ALREADY_TRIAGED
  reject(@CurrentActor() actor: Actor, @Param('id', UuidPipe) offerId: string, @Body() body: RejectOfferRequest) {
    return this.commands.execute(new TriageOfferCommand(actor, offerId, { action: 'reject', reason: body.reason }));
  }
}
