import type { EntityManager } from 'typeorm';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-error.js';
import { MemberNotFoundError } from '../../registry/domain/registry.errors.js';
import type { ConventionTerms } from '../domain/convention.js';

/**
 * What a convention may cover, checked against the registry: an ACTIVE member, its own assets
 * (none RETIRED), its own contacts, and a contact of the drafting directorate.
 */
export async function assertTermsFitRegistry(
  manager: EntityManager,
  memberId: string,
  directorateCode: string,
  terms: Partial<ConventionTerms>,
): Promise<void> {
  const [member] = await manager.query(`SELECT status FROM member WHERE id = $1`, [memberId]);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status !== 'ACTIVE') {
    throw new ConflictError('CONVENTION.MEMBER_NOT_ACTIVE', `Member ${memberId} is ${member.status}; conventions are drafted with ACTIVE members only`);
  }
  if (terms.assetIds) {
    const assets: { id: string; member_id: string; status: string }[] = await manager.query(
      `SELECT id, member_id, status FROM asset WHERE id = ANY($1::uuid[])`,
      [terms.assetIds],
    );
    for (const id of terms.assetIds) {
      const asset = assets.find((row) => row.id === id);
      if (!asset || asset.member_id !== memberId) throw InvalidInputError.field('assetIds', `${id} is not an asset of member ${memberId}`);
      if (asset.status === 'RETIRED') throw InvalidInputError.field('assetIds', `${id} is RETIRED and cannot be covered`);
    }
  }
  if (terms.memberContactIds?.length) {
    const found = await manager.query(`SELECT id FROM contact WHERE id = ANY($1::uuid[]) AND member_id = $2`, [terms.memberContactIds, memberId]);
    if (found.length !== new Set(terms.memberContactIds).size) {
      throw InvalidInputError.field('memberContactIds', `must name contacts of member ${memberId}`);
    }
  }
  if (terms.directorateContactId) {
    const [found] = await manager.query(`SELECT 1 FROM contact WHERE id = $1 AND directorate_code = $2`, [terms.directorateContactId, directorateCode]);
    if (!found) throw InvalidInputError.field('directorateContactId', `must name a contact of directorate ${directorateCode}`);
  }
}
