import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../common/auth/access.decorators.js';
import { type Actor, actorRef } from '../common/auth/role.js';
import { AddCategoryCommand } from './commands/add-category.js';
import { AddContactCommand } from './commands/contact-commands.js';
import { ContactRequest, ContactResponse } from './dto/contact.dto.js';
import { CategoryResponse, CreateCategoryRequest, DirectorateResponse } from './dto/reference.dto.js';
import { ListContactsQuery } from './queries/member-queries.js';
import { ListCategoriesQuery, ListDirectoratesQuery } from './queries/reference-queries.js';
import { DirectorateCodePipe } from './directorate-code.pipe.js';

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
  @ApiOkResponse({ type: [DirectorateResponse] })
  directorates() {
    return this.queries.execute(new ListDirectoratesQuery());
  }

  @Get('directorates/:code/contacts')
  @AnyRole()
  @ApiOperation({ summary: "A directorate's contacts in escalation order (all roles)" })
  @ApiOkResponse({ type: [ContactResponse] })
  directorateContacts(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string) {
    return this.queries.execute(new ListContactsQuery(actor, { directorateCode: code }));
  }

  @Post('directorates/:code/contacts')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add a contact to a directorate (ADMIN)' })
  @ApiCreatedResponse({ type: ContactResponse })
  addDirectorateContact(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string, @Body() body: ContactRequest) {
    return this.commands.execute(new AddContactCommand(actor, { directorateCode: code }, body));
  }

  @Get('categories')
  @AnyRole()
  @ApiOperation({ summary: 'Asset categories (all roles)' })
  @ApiOkResponse({ type: [CategoryResponse] })
  categories() {
    return this.queries.execute(new ListCategoriesQuery());
  }

  @Post('categories')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add an asset category (ADMIN)' })
  @ApiCreatedResponse({ type: CategoryResponse })
  addCategory(@CurrentActor() actor: Actor, @Body() body: CreateCategoryRequest) {
    return this.commands.execute(new AddCategoryCommand(actorRef(actor), body));
  }
}
