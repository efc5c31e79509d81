import { UserSchema } from './identity/persistence/user.schema.js';

/** Every TypeORM entity schema of the service. */
export const ENTITY_SCHEMAS = [UserSchema];
