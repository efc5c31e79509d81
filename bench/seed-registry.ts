import type pg from 'pg';
import { DEPARTEMENT_CODES } from '../src/registry/domain/departement.js';
import { sirenProblem } from '../src/registry/domain/siren.js';

export interface SeedSize {
  members: number;
  assets: number;
  unavailabilityWindows: number;
}

/** The i-th SIREN of the seed: eight digits from the index, then the Luhn check digit. */
function seedSiren(index: number): string {
  const body = String(31_000_000 + index * 7_919).padStart(8, '0');
  for (let check = 0; check < 10; check += 1) {
    if (sirenProblem(`${body}${check}`) === null) return `${body}${check}`;
  }
  throw new Error(`no check digit for ${body}`);
}

/**
 * Fills the registry tables in a few set-based statements (no row loop), on the connection
 * given, so that `setseed` makes the random spread the same from one run to the next.
 * The rows bypass the command handlers on purpose: no audit events, only the state the search reads.
 */
export async function seedRegistry(db: pg.Client, size: SeedSize): Promise<void> {
  await db.query(`SELECT setseed(0.4242)`);

  const sirens = Array.from({ length: size.members }, (_, i) => seedSiren(i + 1));
  await db.query(
    `INSERT INTO member (id, legal_name, siren, charter_signed_at, charter_signatory, status, version, created_at, updated_at)
     SELECT gen_random_uuid(),
            (ARRAY['Aéro','Cyber','Sécuri','Télé','Vigi','Opti','Protect','Défense'])[1 + i % 8]
              || (ARRAY['tech','com','sys','drone','guard','net','vision'])[1 + i % 7] || ' ' || i || ' SAS',
            siren,
            date '2017-03-21' + (i * 3)::int,
            (ARRAY['Claire Martin','Jean Dupont','Sophie Bernard','Karim Haddad','Marie Leroy'])[1 + i % 5],
            CASE WHEN i % 20 = 0 THEN 'SUSPENDED' WHEN i % 25 = 1 THEN 'PENDING' WHEN i % 50 = 3 THEN 'WITHDRAWN' ELSE 'ACTIVE' END,
            1,
            now() - (random() * 1500) * interval '1 day',
            now() - (random() * 30) * interval '1 day'
     FROM unnest($1::text[]) WITH ORDINALITY AS s(siren, i)`,
    [sirens],
  );

  // Rolls are drawn in an inner query fenced by OFFSET 0, so that each is drawn once per row.
  // Members are picked with a skew (a few large companies offer much) and a few populous
  // départements are listed twice, as declared coverage is uneven in practice.
  await db.query(
    `WITH active AS (SELECT array_agg(id ORDER BY siren) AS ids FROM member WHERE status = 'ACTIVE'),
          codes AS (SELECT $2::text[] || ARRAY['06','13','75','83','69','33'] AS list)
     INSERT INTO asset (id, member_id, category, name, quantity, lead_time_minutes, national, departements,
                        capability_tier, clearance, description, status, attested_at, version, created_at, updated_at)
     SELECT gen_random_uuid(), member_id, category,
            CASE category
              WHEN 'DRONE' THEN (ARRAY['Quadcopter with thermal camera','Fixed-wing survey drone','Counter-drone jammer','Tethered drone'])[1 + g % 4]
              WHEN 'SECURE_TELECOM' THEN (ARRAY['Satellite terminal','Encrypted radio kit','Deployable 4G cell','Mesh network relay'])[1 + g % 4]
              WHEN 'URBAN_SECURITY' THEN (ARRAY['Mobile video protection mast','Access control gate','Perimeter sensor line','Crowd counting camera'])[1 + g % 4]
              WHEN 'SOFTWARE' THEN (ARRAY['Crisis map platform','Situation dashboard','Alert broadcast service','Geolocation service'])[1 + g % 4]
              WHEN 'CYBER_EXPERT' THEN (ARRAY['Incident response analyst','Forensics expert','SOC team','Malware analyst'])[1 + g % 4]
              ELSE (ARRAY['Logistics coordinator','Interpreter team','Structural engineer','Radiological adviser'])[1 + g % 4]
            END || ' ' || lpad(g::text, 6, '0'),
            1 + floor(power(quantity_roll, 3) * 50)::int,
            (ARRAY[30, 60, 90, 120, 240, 480, 720, 1440, 2880])[1 + floor(lead_roll * 9)::int],
            national,
            CASE WHEN national THEN '{}'::text[] ELSE
              ARRAY(SELECT DISTINCT (SELECT list FROM codes)[1 + floor(random() * cardinality((SELECT list FROM codes)))::int]
                    FROM generate_series(1, coverage_count))
            END,
            CASE WHEN tier_roll < 0.3 THEN NULL ELSE 1 + floor((tier_roll - 0.3) / 0.7 * 4)::int END,
            CASE WHEN category IN ('CYBER_EXPERT', 'OTHER_EXPERTISE') AND tier_roll > 0.5 THEN 'CONFIDENTIEL DEFENSE' END,
            CASE WHEN tier_roll < 0.6 THEN 'Seeded for the search benchmark' END,
            CASE WHEN status_roll < 0.80 THEN 'AVAILABLE' WHEN status_roll < 0.88 THEN 'UNAVAILABLE'
                 WHEN status_roll < 0.93 THEN 'ENGAGED' ELSE 'RETIRED' END,
            attested_at, 1, attested_at - created_roll * 720 * interval '1 day', attested_at
     FROM (
       SELECT g,
              (SELECT ids FROM active)[1 + floor(power(member_roll, 1.5) * (SELECT cardinality(ids) FROM active))::int] AS member_id,
              CASE WHEN category_roll < 0.20 THEN 'DRONE' WHEN category_roll < 0.35 THEN 'SECURE_TELECOM'
                   WHEN category_roll < 0.60 THEN 'URBAN_SECURITY' WHEN category_roll < 0.75 THEN 'SOFTWARE'
                   WHEN category_roll < 0.90 THEN 'CYBER_EXPERT' ELSE 'OTHER_EXPERTISE' END AS category,
              national_roll < 0.10 AS national,
              1 + floor(random() * 4)::int AS coverage_count,
              now() - random() * 180 * interval '1 day' AS attested_at,
              quantity_roll, lead_roll, tier_roll, status_roll, created_roll
       FROM (
         SELECT g, random() AS member_roll, random() AS category_roll, random() AS national_roll, random() AS quantity_roll, random() AS lead_roll,
                random() AS tier_roll, random() AS status_roll, random() AS created_roll
         FROM generate_series(1, $1::int) AS g
         OFFSET 0
       ) AS rolls
       OFFSET 0
     ) AS drawn`,
    [size.assets, [...DEPARTEMENT_CODES]],
  );

  // Past, current and future windows on a random sample of assets. The pick and the start are
  // drawn together before the sort: a bare ORDER BY random() would lend its value to the start.
  await db.query(
    `INSERT INTO asset_unavailability (id, asset_id, starts_at, ends_at, reason, created_at)
     SELECT gen_random_uuid(), id, starts_at, starts_at + (1 + floor(length_roll * 14)) * interval '1 day',
            (ARRAY['Maintenance','Already deployed for a client','Crew on leave','Recertification'])[1 + floor(reason_roll * 4)::int],
            starts_at - interval '7 days'
     FROM (
       SELECT id, now() + (start_roll * 80 - 20) * interval '1 day' AS starts_at, length_roll, reason_roll
       FROM (SELECT id, random() AS pick, random() AS start_roll, random() AS length_roll, random() AS reason_roll FROM asset OFFSET 0) AS rolls
       ORDER BY pick LIMIT $1
     ) AS sample`,
    [size.unavailabilityWindows],
  );

  await db.query(`ANALYZE member, asset, asset_unavailability`);
}
