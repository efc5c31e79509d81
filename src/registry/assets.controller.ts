import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query as QueryParams, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { ApiErrorResponse, ApiRequestExamples } from '../common/http/openapi.js';
import { EXAMPLE_ID } from '../common/http/openapi-examples.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import { AddUnavailabilityCommand, AttestAssetCommand, DeclareAssetCommand, UpdateAssetCommand } from './commands/asset-commands.js';
import { AssetPage, AssetResponse, AssetsFilter, DeclareAssetRequest, UnavailabilityRequest, UpdateAssetRequest } from './dto/asset.dto.js';
import { GRATUITY_MESSAGE } from './domain/gratuity.js';
import { GetAssetQuery, SearchAssetsQuery } from './queries/asset-queries.js';
import { RefuseChargesInterceptor } from './refuse-charges.interceptor.js';

const REFUSES_CHARGES = ApiErrorResponse(
  400,
  'A body carrying a price, cost, fee or rate, at any depth, is refused (`CHARTER.GRATUITY`): the charter\'s resources are free of charge.',
  { code: 'CHARTER.GRATUITY', message: `${GRATUITY_MESSAGE} (refused: dailyRate)` },
);
const STALE_OR_RETIRED = ApiErrorResponse(
  409,
  'The version sent is stale, the asset is RETIRED, or the quantity sent is below the units committed to activations.',
  { code: 'CONCURRENCY.STALE_VERSION', message: `Asset ${EXAMPLE_ID.asset} was changed meanwhile: its version is now 4; reload and retry` },
  { code: 'ASSET.RETIRED', message: `Asset ${EXAMPLE_ID.asset} is RETIRED; it can no longer change` },
  {
    code: 'ASSET.UNITS_COMMITTED',
    message: `Asset ${EXAMPLE_ID.asset} cannot have 2 units: 3 of its units are committed to activations until they are released`,
  },
);

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
  @ApiOperation({
    summary: 'Declare one of the own member\'s assets, free of charge (MEMBER)',
    description: 'The asset is AVAILABLE and attested now; it is eligible once a convention covers it.',
  })
  @ApiRequestExamples(DeclareAssetRequest, {
    drones: {
      summary: 'Thermal drones for the Alpes-Maritimes and the Var',
      value: {
        category: 'DRONE',
        name: 'Drone quadrirotor à caméra thermique',
        quantity: 4,
        leadTimeMinutes: 90,
        coverage: { departements: ['06', '83'] },
        capabilityTier: 2,
        description: 'Autonomie 40 min, caméra thermique 640x512, télépilotes certifiés STS-01, transport en fourgon depuis Nice.',
      },
    },
    telecom: {
      summary: 'A satellite relay for the whole territory',
      value: {
        category: 'SECURE_TELECOM',
        name: 'Valise de communication satellitaire chiffrée',
        quantity: 2,
        leadTimeMinutes: 240,
        coverage: { national: true },
        description: 'Liaison voix et données chiffrée, 8 h d\'autonomie, déployable par une personne.',
      },
    },
    expert: {
      summary: 'A cleared cyber incident responder',
      value: {
        category: 'CYBER_EXPERT',
        name: 'Analyste réponse à incident (CERT)',
        quantity: 1,
        leadTimeMinutes: 120,
        coverage: { national: true },
        capabilityTier: 3,
        clearance: 'DIFFUSION RESTREINTE',
      },
    },
  })
  @ApiCreatedResponse({ type: AssetResponse, description: 'The asset, status AVAILABLE' })
  @REFUSES_CHARGES
  @ApiErrorResponse(404, 'memberId names another member than the caller\'s.', { code: 'MEMBER.NOT_FOUND', message: `No member with id ${EXAMPLE_ID.otherMember}` })
  @ApiErrorResponse(409, 'The member is WITHDRAWN.', { code: 'MEMBER.WITHDRAWN', message: 'A WITHDRAWN member cannot declare assets' })
  declare(@CurrentActor() actor: Actor, @Body() body: DeclareAssetRequest) {
    return this.commands.execute(new DeclareAssetCommand(actor, body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Search assets (a MEMBER user sees only its own, whatever the filters)' })
  @ApiOkResponse({ type: AssetPage, description: 'A page of assets' })
  search(@CurrentActor() actor: Actor, @QueryParams() filter: AssetsFilter) {
    return this.queries.execute(new SearchAssetsQuery(actor, filter));
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'One asset (a MEMBER user: its own only, 404 otherwise)' })
  @ApiOkResponse({ type: AssetResponse, description: 'The asset, with its current and future unavailability windows' })
  get(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string) {
    return this.queries.execute(new GetAssetQuery(actor, assetId));
  }

  @Patch(':id')
  @Roles('MEMBER')
  @UseInterceptors(RefuseChargesInterceptor)
  @ApiOperation({ summary: 'Edit an own asset; send the version read, a stale one gets 409 (MEMBER owner)' })
  @ApiOkResponse({ type: AssetResponse, description: 'The asset as changed, with its new version' })
  @REFUSES_CHARGES
  @STALE_OR_RETIRED
  update(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string, @Body() body: UpdateAssetRequest) {
    return this.commands.execute(new UpdateAssetCommand(actor, assetId, body));
  }

  @Post(':id/attest')
  @Roles('MEMBER')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm the asset is still ready (MEMBER owner)',
    description: 'An asset not attested within `READINESS_MAX_AGE_DAYS` is stale and not eligible.',
  })
  @ApiOkResponse({ type: AssetResponse, description: 'The asset, attestedAt now' })
  @ApiErrorResponse(409, 'The asset is RETIRED.', { code: 'ASSET.RETIRED', message: `Asset ${EXAMPLE_ID.asset} is RETIRED; there is nothing to attest` })
  attest(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string) {
    return this.commands.execute(new AttestAssetCommand(actor, assetId));
  }

  @Post(':id/unavailability')
  @Roles('MEMBER')
  @ApiOperation({
    summary: 'Declare a period when the asset cannot be mobilized (MEMBER owner)',
    description: 'Inside the window the asset is not eligible; outside it nothing changes.',
  })
  @ApiCreatedResponse({ type: AssetResponse, description: 'The asset, with the window added' })
  unavailability(@CurrentActor() actor: Actor, @Param('id', UuidPipe) assetId: string, @Body() body: UnavailabilityRequest) {
    return this.commands.execute(new AddUnavailabilityCommand(actor, assetId, body));
  }
}
