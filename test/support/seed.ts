import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { validSiren } from './fixtures.js';

export interface SeededMember {
  memberId: string;
  path: string;
  secret: string;
}

/** Valid SIRENs no member of the database holds yet: the suites share one database. */
async function freeSirens(db: DataSource, count: number): Promise<string[]> {
  const sirens = new Set<string>();
  for (;;) {
    while (sirens.size < count) sirens.add(validSiren());
    const taken: { siren: string }[] = await db.query(`SELECT siren FROM member WHERE siren = ANY($1::text[])`, [[...sirens]]);
    if (taken.length === 0) return [...sirens];
    for (const { siren } of taken) sirens.delete(siren);
  }
}

/**
 * Members, each with a webhook on the receiver and `assetsPerMember` assets of the given category
 * under an ACTIVE DGSCGC convention, inserted set-based: enough volume for a fan-out in a few ms.
 */
export async function seedResponders(
  db: DataSource, count: number, category: string, url: (path: string) => string, assetsPerMember = 1,
): Promise<SeededMember[]> {
  const sirens = await freeSirens(db, count);
  const members = Array.from({ length: count }, (_, i) => ({
    path: `seed-${randomBytes(4).toString('hex')}-${i}`,
    secret: `whsec_${randomBytes(16).toString('hex')}`,
    siren: sirens[i],
  }));
  const rows: { id: string; webhook_url: string; webhook_secret: string }[] = await db.query(
    `INSERT INTO member (id, legal_name, siren, charter_signed_at, charter_signatory, webhook_url, webhook_secret, status, version, created_at, updated_at)
     SELECT gen_random_uuid(), 'Seeded member ' || m.siren, m.siren, '2017-03-21', 'Seed', m.url, m.secret, 'ACTIVE', 1, now(), now()
     FROM unnest($1::text[], $2::text[], $3::text[]) AS m(siren, url, secret)
     RETURNING id, webhook_url, webhook_secret`,
    [members.map((m) => m.siren), members.map((m) => url(m.path)), members.map((m) => m.secret)],
  );
  await db.query(
    `WITH assets AS (
       INSERT INTO asset (id, member_id, category, name, quantity, lead_time_minutes, national, departements, status, attested_at, version, created_at, updated_at)
       SELECT gen_random_uuid(), id, $2, 'Seeded drone', 1, 60, true, '{}', 'AVAILABLE', now(), 1, now(), now()
       FROM unnest($1::uuid[]) AS id, generate_series(1, $3::int)
       RETURNING id, member_id
     ), conventions AS (
       INSERT INTO convention (id, lineage_id, version, member_id, directorate_code, status, crisis_types, national, departements,
                               ack_within_minutes, deploy_within_minutes, starts_on, ends_on, term_days, review_on, tacit_renewal,
                               created_at, updated_at)
       SELECT c.id, c.id, 1, c.member_id, 'DGSCGC', 'ACTIVE', '{NATURAL_DISASTER}', true, '{}', 30, 240,
              current_date - 30, current_date + 335, 365, current_date + 245, false, now(), now()
       FROM (SELECT gen_random_uuid() AS id, member_id FROM unnest($1::uuid[]) AS member_id) c
       RETURNING id, member_id
     )
     INSERT INTO convention_asset (convention_id, asset_id)
     SELECT c.id, a.id FROM conventions c JOIN assets a ON a.member_id = c.member_id`,
    [rows.map((r) => r.id), category, assetsPerMember],
  );
  return rows.map((row) => {
    const path = new URL(row.webhook_url).pathname.slice(1);
    return { memberId: row.id, path, secret: row.webhook_secret };
  });
}
