import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { ApiErrorResponse, ApiRequestExamples } from '../common/http/openapi.js';
import { AddCategoryCommand } from './commands/add-category.js';
import { AddContactCommand } from './commands/contact-commands.js';
import { ContactRequest, ContactResponse } from './dto/contact.dto.js';
import { CategoryResponse, CreateCategoryRequest, DirectorateResponse } from './dto/reference.dto.js';
import { ListContactsQuery } from './queries/member-queries.js';
import { ListCategoriesQuery, ListDirectoratesQuery } from './queries/reference-queries.js';
import { DirectorateCodePipe } from './directorate-code.pipe.js';

const DIRECTORATE_CODE = ApiParam({
  name: 'code',
  description: 'Code of the directorate (GET /directorates)',
  schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,15}$' },
  example: 'DGSCGC',
});

@ApiTags('reference data')
@ApiBearerAuth()
@Controller()
export class ReferenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('directorates')
  @AnyRole()
  @ApiOperation({ summary: 'The ministry directorates (all roles)' })
  @ApiOkResponse({ type: [DirectorateResponse], description: 'Every directorate, by code' })
  directorates() {
    return this.queries.execute(new ListDirectoratesQuery());
  }

  @Get('directorates/:code/contacts')
  @AnyRole()
  @ApiOperation({ summary: "A directorate's contacts in escalation order (all roles)" })
  @DIRECTORATE_CODE
  @ApiOkResponse({ type: [ContactResponse], description: 'Its contacts, by escalation order' })
  directorateContacts(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string) {
    return this.queries.execute(new ListContactsQuery(actor, { directorateCode: code }));
  }

  @Post('directorates/:code/contacts')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add a contact to a directorate (ADMIN)' })
  @DIRECTORATE_CODE
  @ApiCreatedResponse({ type: ContactResponse, description: 'The contact' })
  @ApiErrorResponse(409, 'Another contact of the directorate already has this escalation order.', {
    code: 'CONTACT.ESCALATION_ORDER_TAKEN',
    message: 'Another contact already has escalation order 1',
  })
  @ApiRequestExamples(ContactRequest, {
    officer: {
      summary: "The directorate's duty officer",
      value: {
        name: 'Commandant Anne Roussel',
        role: 'NATIONAL_CORRESPONDENT',
        phone: '+33140000000',
        email: 'permanence.cogic@interieur.example.fr',
        escalationOrder: 1,
        available24x7: true,
      },
    },
  })
  addDirectorateContact(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string, @Body() body: ContactRequest) {
    return this.commands.execute(new AddContactCommand(actor, { directorateCode: code }, body));
  }

  @Get('categories')
  @AnyRole()
  @ApiOperation({ summary: 'Asset categories (all roles)' })
  @ApiOkResponse({ type: [CategoryResponse], description: 'Every asset category, by code' })
  categories() {
    return this.queries.execute(new ListCategoriesQuery());
  }

  @Post('categories')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add an asset category (ADMIN)' })
  @ApiCreatedResponse({ type: CategoryResponse, description: 'The category' })
  @ApiErrorResponse(409, 'A category with this code exists.', { code: 'CATEGORY.EXISTS', message: 'Category SATELLITE_IMAGERY already exists' })
  addCategory(@CurrentActor() actor: Actor, @Body() body: CreateCategoryRequest) {
    return this.commands.execute(new AddCategoryCommand(actorRef(actor), body));
  }
}
