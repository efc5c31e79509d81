import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AssetsController } from './assets.controller.js';
import { AddCategoryHandler } from './commands/add-category.js';
import { AddUnavailabilityHandler, AttestAssetHandler, DeclareAssetHandler, UpdateAssetHandler } from './commands/asset-commands.js';
import { ChangeMemberStatusHandler } from './commands/change-member-status.js';
import { AddContactHandler, RemoveContactHandler, UpdateContactHandler } from './commands/contact-commands.js';
import { RecordOfferHandler, TriageOfferHandler } from './commands/offer-commands.js';
import { RegisterMemberHandler } from './commands/register-member.js';
import { RotateWebhookSecretHandler } from './commands/rotate-webhook-secret.js';
import { UpdateMemberHandler } from './commands/update-member.js';
import { MembersController } from './members.controller.js';
import { OffersController } from './offers.controller.js';
import { GetAssetHandler, SearchAssetsHandler } from './queries/asset-queries.js';
import { GetMemberHandler, ListContactsHandler, ListMembersHandler } from './queries/member-queries.js';
import { ListOffersHandler } from './queries/offer-queries.js';
import { ListCategoriesHandler, ListDirectoratesHandler } from './queries/reference-queries.js';
import { ReferenceController } from './reference.controller.js';

const commandHandlers = [
  RegisterMemberHandler, UpdateMemberHandler, RotateWebhookSecretHandler, ChangeMemberStatusHandler,
  AddContactHandler, UpdateContactHandler, RemoveContactHandler, AddCategoryHandler,
  DeclareAssetHandler, UpdateAssetHandler, AttestAssetHandler, AddUnavailabilityHandler,
  RecordOfferHandler, TriageOfferHandler,
];
const queryHandlers = [
  ListMembersHandler, GetMemberHandler, ListContactsHandler, ListDirectoratesHandler, ListCategoriesHandler,
  SearchAssetsHandler, GetAssetHandler, ListOffersHandler,
];

/** Members of the charter, their contacts and assets, reference data, unsolicited offers. */
@Module({
  imports: [AuditModule],
  controllers: [MembersController, AssetsController, OffersController, ReferenceController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class RegistryModule {}
