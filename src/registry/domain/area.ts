import { InvalidInputError } from '../../common/errors/domain-error.js';

/** Where something applies: everywhere, or a list of départements (asset coverage, convention scope). */
export type Area = { national: true } | { departements: string[] };

export interface AreaInput {
  national?: true;
  departements?: string[];
}

/** Exactly one of national or a list of départements; a 400 naming the field otherwise. */
export function toArea(input: AreaInput, field: string): Area {
  const national = input.national === true;
  const listed = Array.isArray(input.departements);
  if (national === listed) {
    throw InvalidInputError.field(field, 'must be either { national: true } or { departements: [codes] }, not both nor neither');
  }
  return national ? { national: true } : { departements: input.departements! };
}
