import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CrisisType } from '../../common/domain/crisis-types.js';
import { canonicalJson } from '../../common/idempotency/canonical-json.js';
import type { Convention, ConventionStatus, Scope } from '../domain/convention.js';

/**
 * One version of a convention as a reader reads it: its own terms, with the parties, the covered
 * assets and the signatories named as the registry knows them. The document is rendered from this
 * record only, and its hash is the hash of this record: the same hash, the same document, byte for byte.
 */
export interface ConventionRecord {
  id: string;
  lineageId: string;
  version: number;
  previousVersionId: string | null;
  status: ConventionStatus;
  statusReason: string | null;
  member: { id: string; legalName: string; siren: string; charterSignedAt: string; charterSignatory: string };
  directorate: { code: string; name: string };
  assets: { id: string; name: string; category: string; categoryLabel: string; quantity: number; leadTimeMinutes: number }[];
  crisisTypes: CrisisType[];
  scope: Scope;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
  startsOn: string;
  endsOn: string;
  termDays: number;
  reviewOn: string;
  tacitRenewal: boolean;
  renewals: number;
  memberContacts: { name: string; role: string }[];
  directorateContact: { name: string; role: string } | null;
  signedAt: string | null;
  signedBy: string | null;
  countersignedAt: string | null;
  countersignedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** SHA-256 (hex) of the record's canonical JSON. */
export function recordHash(record: ConventionRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** The records of these conventions (assets attached), in the same order; a few set-based reads whatever their number. */
export async function conventionRecords(manager: EntityManager, conventions: Convention[]): Promise<ConventionRecord[]> {
  if (conventions.length === 0) return [];
  const ids = conventions.map((c) => c.id);
  const [members, directorates, assets, contacts, users] = await Promise.all([
    manager.query(
      `SELECT id, legal_name, siren, charter_signed_at::text AS charter_signed_at, charter_signatory FROM member WHERE id = ANY($1::uuid[])`,
      [[...new Set(conventions.map((c) => c.memberId))]],
    ),
    manager.query(`SELECT code, name FROM directorate WHERE code = ANY($1::text[])`, [[...new Set(conventions.map((c) => c.directorateCode))]]),
    manager.query(
      `SELECT ca.convention_id, a.id, a.name, a.category, coalesce(k.label, a.category) AS category_label, a.quantity, a.lead_time_minutes
       FROM convention_asset ca JOIN asset a ON a.id = ca.asset_id LEFT JOIN asset_category k ON k.code = a.category
       WHERE ca.convention_id = ANY($1::uuid[]) ORDER BY a.category, a.name, a.id`,
      [ids],
    ),
    manager.query(`SELECT id, name, role FROM contact WHERE id = ANY($1::uuid[])`, [
      [...new Set(conventions.flatMap((c) => [...c.memberContactIds, ...(c.directorateContactId ? [c.directorateContactId] : [])]))],
    ]),
    manager.query(`SELECT id, email FROM users WHERE id = ANY($1::uuid[])`, [
      [...new Set(conventions.flatMap((c) => [c.signedBy, c.countersignedBy].filter((id): id is string => id !== null)))],
    ]),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const memberOf = byId<Record<string, any> & { id: string }>(members);
  const contactOf = byId<{ id: string; name: string; role: string }>(contacts);
  const emailOf = byId<{ id: string; email: string }>(users);
  const directorateOf = new Map<string, string>(directorates.map((row: { code: string; name: string }) => [row.code, row.name]));
  const contact = (id: string) => {
    const row = contactOf.get(id);
    return row ? { name: row.name, role: row.role } : null;
  };
  return conventions.map((c) => {
    const member = memberOf.get(c.memberId);
    return {
      id: c.id,
      lineageId: c.lineageId,
      version: c.version,
      previousVersionId: c.previousVersionId,
      status: c.status,
      statusReason: c.statusReason,
      member: {
        id: c.memberId,
        legalName: member?.legal_name ?? '',
        siren: member?.siren ?? '',
        charterSignedAt: member?.charter_signed_at ?? '',
        charterSignatory: member?.charter_signatory ?? '',
      },
      directorate: { code: c.directorateCode, name: directorateOf.get(c.directorateCode) ?? c.directorateCode },
      assets: assets
        .filter((row: { convention_id: string }) => row.convention_id === c.id)
        .map((row: Record<string, any>) => ({
          id: row.id, name: row.name, category: row.category, categoryLabel: row.category_label, quantity: row.quantity, leadTimeMinutes: row.lead_time_minutes,
        })),
      crisisTypes: [...c.crisisTypes].sort(),
      scope: c.scope,
      ackWithinMinutes: c.ackWithinMinutes,
      deployWithinMinutes: c.deployWithinMinutes,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      termDays: c.termDays,
      reviewOn: c.reviewOn,
      tacitRenewal: c.tacitRenewal,
      renewals: c.renewals,
      memberContacts: c.memberContactIds.map(contact).filter((x): x is { name: string; role: string } => x !== null),
      directorateContact: c.directorateContactId ? contact(c.directorateContactId) : null,
      signedAt: c.signedAt?.toISOString() ?? null,
      signedBy: c.signedBy ? (emailOf.get(c.signedBy)?.email ?? null) : null,
      countersignedAt: c.countersignedAt?.toISOString() ?? null,
      countersignedBy: c.countersignedBy ? (emailOf.get(c.countersignedBy)?.email ?? null) : null,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  });
}
