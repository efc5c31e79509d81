import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query as QueryParams, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { AddUnavailabilityCommand, AttestAssetCommand, DeclareAssetCommand, UpdateAssetCommand } from './commands/asset-commands.js';
import { AssetPage, AssetResponse, AssetsFilter, DeclareAssetRequest, UnavailabilityRequest, UpdateAssetRequest } from './dto/asset.dto.js';
import { GetAssetQuery, SearchAssetsQuery } from './queries/asset-queries.js';
import { RefuseChargesInterceptor } from './refuse-charges.interceptor.js';

const GRATUITY = 'A body carrying a price, cost, fee or rate is refused: the charter\'s resources are free of charge';

@ApiTags('assets')
@ApiBearerAuth()
@Controller('assets')
export class AssetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('MEMBER')
  @UseInterceptors(RefuseChargesInterceptor)
  @ApiOperation({ summary: 'Declare one of the own member\'s assets, free of charge (MEMBER)' })
  @ApiCreatedResponse({ type: AssetResponse, description: 'status AVAILABLE' })
  @ApiBadRequestResponse({ description: GRATUITY })
  declare(@CurrentActor() actor: Actor, @Body() body: DeclareAssetRequest) {
    return this.commands.execute(new DeclareAssetCommand(actor, body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Search assets (a MEMBER user sees only its own, whatever the filters)' })
  @ApiOkResponse({ type: AssetPage })
  search(@CurrentActor() actor: Actor, @QueryParams() filter: AssetsFilter) {
    return this.queries.execute(new SearchAssetsQuery(actor, filter));
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One asset (a MEMBER user: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: AssetResponse })
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string) {
    return this.queries.execute(new GetAssetQuery(actor, assetId));
  }

  @Patch(':id')
  @Roles('MEMBER')
  @UseInterceptors(RefuseChargesInterceptor)
  @ApiOperation({ summary: 'Edit an own asset; send the version read, a stale one gets 409 (MEMBER owner)' })
  @ApiOkResponse({ type: AssetResponse })
  @ApiBadRequestResponse({ description: GRATUITY })
  update(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string, @Body() body: UpdateAssetRequest) {
    return this.commands.execute(new UpdateAssetCommand(actor, assetId, body));
  }

  @Post(':id/attest')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the asset is still ready (MEMBER owner)' })
  @ApiOkResponse({ type: AssetResponse })
  attest(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string) {
    return this.commands.execute(new AttestAssetCommand(actor, assetId));
  }

  @Post(':id/unavailability')
  @Roles('MEMBER')
  @ApiOperation({ summary: 'Declare a period when the asset cannot be mobilized (MEMBER owner)' })
  @ApiCreatedResponse({ type: AssetResponse })
  unavailability(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string, @Body() body: UnavailabilityRequest) {
    return this.commands.execute(new AddUnavailabilityCommand(actor, assetId, body));
  }
}
