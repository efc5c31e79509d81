import type pg from 'pg';
import { sirenProblem } from '../src/registry/domain/siren.js';

/**
 * A set of responders for one fan-out: ACTIVE members, each with a webhook on the sink at
 * `<sink>/<segment>/<n>`, an ACTIVE national convention with the DGSCGC for natural disasters,
 * and `assets` assets of one category in the Alpes-Maritimes spread evenly over them, all
 * eligible now.
 */
export interface ResponderSet {
  segment: string;
  category: string;
  members: number;
  assets: number;
  /** First index of this set's SIRENs, so that two sets never share one. */
  sirenOffset: number;
}

export const RESPONDER_DEPARTEMENT = '06';

/** The secret the seed gives member n of a segment: the sink derives it again from the path. */
export function webhookSecret(segment: string, n: number | string): string {
  return `whsec-bench-${segment}-${n}`;
}

function siren(index: number): string {
  const body = String(50_000_000 + index).padStart(8, '0');
  const check = [...'0123456789'].find((digit) => sirenProblem(`${body}${digit}`) === null);
  if (check === undefined) throw new Error(`no check digit for ${body}`);
  return `${body}${check}`;
}

/**
 * Inserts the set in four set-based statements (no row loop) and answers the members' ids.
 * The rows bypass the command handlers on purpose: no audit events, only what the fan-out reads.
 */
export async function seedResponders(db: pg.Client, sinkUrl: string, set: ResponderSet): Promise<string[]> {
  const sirens = Array.from({ length: set.members }, (_, i) => siren(set.sirenOffset + i));
  const members = (
    await db.query(
      `INSERT INTO member (id, legal_name, siren, charter_signed_at, charter_signatory, webhook_url, webhook_secret, status, version,
                           created_at, updated_at)
       SELECT gen_random_uuid(), 'Renfort bench ' || $2::text || ' ' || n || ' SAS', siren, date '2024-01-15', 'Claire Martin',
              $3::text || '/' || n, $4::text || n, 'ACTIVE', 1, now(), now()
       FROM unnest($1::text[]) WITH ORDINALITY AS s(siren, n)
       RETURNING id`,
      [sirens, set.segment, `${sinkUrl}/${set.segment}`, webhookSecret(set.segment, '')],
    )
  ).rows.map((row: { id: string }) => row.id);

  await db.query(
    `INSERT INTO asset (id, member_id, category, name, quantity, lead_time_minutes, national, departements, status, attested_at, version,
                        created_at, updated_at)
     SELECT gen_random_uuid(), m.id, $2::text, 'Bench ' || lower($2::text) || ' ' || lpad(g::text, 6, '0'), 1, 60, false, ARRAY[$4::text], 'AVAILABLE',
            now(), 1, now(), now()
     FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM unnest($1::uuid[]) AS id) AS m
     JOIN generate_series(0, $3::int - 1) AS g ON g % cardinality($1::uuid[]) = m.k`,
    [members, set.category, set.assets, RESPONDER_DEPARTEMENT],
  );

  await db.query(
    `INSERT INTO convention (id, lineage_id, version, member_id, directorate_code, status, crisis_types, national, departements,
                             ack_within_minutes, deploy_within_minutes, starts_on, ends_on, term_days, review_on, tacit_renewal,
                             signed_at, countersigned_at, row_version, created_at, updated_at)
     SELECT id, id, 1, member_id, 'DGSCGC', 'ACTIVE', ARRAY['NATURAL_DISASTER'], true, '{}', 60, 240,
            current_date - 30, current_date + 335, 365, current_date + 150, false, now(), now(), 1, now(), now()
     FROM (SELECT gen_random_uuid() AS id, member_id FROM unnest($1::uuid[]) AS member_id) AS c`,
    [members],
  );

  await db.query(
    `INSERT INTO convention_asset (convention_id, asset_id)
     SELECT c.id, a.id FROM convention c JOIN asset a ON a.member_id = c.member_id
     WHERE c.member_id = ANY($1::uuid[]) AND a.category = $2`,
    [members, set.category],
  );
  return members;
}
