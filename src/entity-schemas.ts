import { ConventionSchema } from './conventions/persistence/convention.schema.js';
import { CrisisSchema } from './crisis/persistence/crisis.persistence.js';
import { UserSchema } from './identity/persistence/user.schema.js';
import { REGISTRY_SCHEMAS } from './registry/persistence/registry.schemas.js';

/** Every TypeORM entity schema of the service. */
export const ENTITY_SCHEMAS = [UserSchema, ...REGISTRY_SCHEMAS, ConventionSchema, CrisisSchema];
