import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Crisis } from '../src/crisis/domain/crisis.js';
import { DEPARTEMENT_CODES } from '../src/registry/domain/departement.js';

/**
 * One activation some hours into its life, for the after-action benchmark: a national crisis
 * (every département, so every seeded asset is in scope), one requirement per category, a
 * convention per member and one mobilization request per asset, with the mix of answers and
 * times a real activation leaves behind. Run after `seedRegistry`: it reads the members and
 * assets that one wrote. The rows bypass the command handlers on purpose; the audit events of
 * the thread are written apart (seed-audit-log.ts), from these rows.
 */

export interface ActivationSeedInput {
  operatorId: string;
  ministerId: string;
  /** Whole milliseconds: every time of the thread derives from it and must survive JSON and the audit chain. */
  authorizedAt: Date;
}

export interface SeededRequirement {
  id: string;
  position: number;
  category: string;
  quantity: number;
  acceptedQuantity: number;
  departements: string[];
  neededBy: Date;
  metAt: Date | null;
}

export interface SeededActivation {
  crisis: Crisis;
  activation: { id: string; decisionReference: string; preparedBy: string; preparedAt: Date; authorizedBy: string; authorizedAt: Date };
  requirements: SeededRequirement[];
}

/** The requirement met during the activation: its open requests were stood down at that instant. */
export const MET_CATEGORY = 'CYBER_EXPERT';

const CRISIS_OPENED_BEFORE_MS = 45 * 60_000;
const PREPARED_BEFORE_MS = 20 * 60_000;
const NEEDED_WITHIN_MS = 6 * 3_600_000;
/** Eight attempts with exponential backoff from one second, as WEBHOOK_ATTEMPTS and WEBHOOK_BACKOFF_MS default to. */
const DELIVERY_GIVEN_UP_AFTER_S = 255;

export async function seedActivation(db: pg.Client, input: ActivationSeedInput): Promise<SeededActivation> {
  const authorizedAt = input.authorizedAt;
  const departements = [...DEPARTEMENT_CODES];
  const crisis = Crisis.open({
    id: randomUUID(),
    title: 'Cyberattaque coordonnée contre les centres hospitaliers',
    type: 'CYBER_ATTACK',
    departements,
    severity: 4,
    exercise: false,
    by: input.operatorId,
    now: new Date(authorizedAt.getTime() - CRISIS_OPENED_BEFORE_MS),
  });
  const activation = {
    id: randomUUID(),
    decisionReference: 'CAB/2026/CIC-0417',
    preparedBy: input.operatorId,
    preparedAt: new Date(authorizedAt.getTime() - PREPARED_BEFORE_MS),
    authorizedBy: input.ministerId,
    authorizedAt,
  };

  // A duty officer's account per member, so that the members' answers are attributed as the
  // application attributes them. Nobody signs in with it.
  await db.query(
    `INSERT INTO users (id, email, password_hash, role, member_id, created_at, updated_at)
     SELECT gen_random_uuid(), 'duty-' || m.siren || '@members.renfort-bench.local', '!bench-no-sign-in', 'MEMBER', m.id, m.created_at, m.created_at
     FROM member m WHERE EXISTS (SELECT 1 FROM asset a WHERE a.member_id = m.id)`,
  );

  await db.query(
    `WITH directorates AS (SELECT array_agg(code ORDER BY code) AS codes FROM directorate)
     INSERT INTO convention (id, lineage_id, version, member_id, directorate_code, status, crisis_types, national, departements,
                             ack_within_minutes, deploy_within_minutes, starts_on, ends_on, term_days, review_on, tacit_renewal,
                             signed_at, countersigned_at, row_version, created_at, updated_at)
     SELECT id, id, 1, member_id, (SELECT codes FROM directorates)[1 + n % cardinality((SELECT codes FROM directorates))], 'ACTIVE',
            ARRAY['CYBER_ATTACK','TERRORIST_ATTACK','INDUSTRIAL_ACCIDENT'], true, '{}',
            (ARRAY[15, 30, 60, 120])[1 + floor(random() * 4)::int], (ARRAY[120, 240, 480])[1 + floor(random() * 3)::int],
            $1::date - 200, $1::date + 165, 365, $1::date + 100, true,
            $1::timestamptz - interval '210 days', $1::timestamptz - interval '205 days', 1,
            $1::timestamptz - interval '230 days', $1::timestamptz - interval '205 days'
     FROM (SELECT gen_random_uuid() AS id, member_id, row_number() OVER (ORDER BY member_id) AS n
           FROM (SELECT DISTINCT member_id FROM asset) AS m) AS c`,
    [authorizedAt.toISOString()],
  );
  await db.query(`INSERT INTO convention_asset (convention_id, asset_id) SELECT c.id, a.id FROM convention c JOIN asset a ON a.member_id = c.member_id`);

  await db.query(
    `INSERT INTO crisis (id, title, type, departements, severity, exercise, status, opened_at, opened_by)
     VALUES ($1, $2, $3, $4, $5, false, 'OPEN', $6, $7)`,
    [crisis.id, crisis.title, crisis.type, crisis.departements, crisis.severity, crisis.openedAt.toISOString(), crisis.openedBy],
  );
  await db.query(
    `INSERT INTO activation (id, crisis_id, decision_reference, status, prepared_by, prepared_at, authorized_by, authorized_at, updated_at)
     VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $5, $6, $7, $7)`,
    [activation.id, crisis.id, activation.decisionReference, activation.preparedBy, activation.preparedAt.toISOString(),
      activation.authorizedBy, authorizedAt.toISOString()],
  );
  await db.query(
    `INSERT INTO activation_requirement (id, activation_id, position, category, quantity, departements, needed_by)
     SELECT gen_random_uuid(), $1, position, code, 1, $2, $3 FROM unnest(ARRAY(SELECT code FROM asset_category ORDER BY code)) WITH ORDINALITY AS c(code, position)`,
    [activation.id, departements, new Date(authorizedAt.getTime() + NEEDED_WITHIN_MS).toISOString()],
  );

  await insertRequests(db, activation.id, authorizedAt);
  await meetOneRequirement(db, activation.id);

  // The requested assets as the fan-out found them (available, attested within the readiness
  // window of 90 days: 180 days of the registry seed scaled by 0.45) and as the
  // answers left them: a deployed asset is engaged.
  await db.query(
    `UPDATE asset a
     SET status = CASE WHEN q.status = 'DEPLOYED' THEN 'ENGAGED' ELSE 'AVAILABLE' END,
         attested_at = $2::timestamptz - (now() - a.attested_at) * 0.45,
         updated_at = greatest(a.updated_at, q.deployed_at, q.released_at)
     FROM mobilization_request q WHERE q.activation_id = $1 AND q.asset_id = a.id`,
    [activation.id, authorizedAt.toISOString()],
  );
  await db.query(
    `UPDATE activation SET request_count = (SELECT count(*) FROM mobilization_request WHERE activation_id = $1),
       updated_at = (SELECT max(updated_at) FROM mobilization_request WHERE activation_id = $1)
     WHERE id = $1`,
    [activation.id],
  );

  const requirements = (
    await db.query(
      `SELECT id, position, category, quantity, accepted_quantity AS "acceptedQuantity", departements, needed_by AS "neededBy", met_at AS "metAt"
       FROM activation_requirement WHERE activation_id = $1 ORDER BY position`,
      [activation.id],
    )
  ).rows as SeededRequirement[];
  return { crisis, activation, requirements };
}

/**
 * One request per asset, for the requirement of its category, in one INSERT ... SELECT. Rolls
 * are drawn in an inner query fenced by OFFSET 0, once per row; each lateral step derives one
 * more time from the one before, truncated to the millisecond as the application's clock is.
 * A member's requests are notified together (one delivery), seconds after the authorization.
 * Acknowledgements land within 1.6 times the convention's commitment (about a fifth late, and
 * escalated once); deployments within 1.5 times it; some deliveries failed for good.
 */
async function insertRequests(db: pg.Client, activationId: string, authorizedAt: Date): Promise<void> {
  await db.query(
    `WITH delivery AS (SELECT id AS member_id, 2 + random() * 43 AS seconds FROM member OFFSET 0)
     INSERT INTO mobilization_request (id, activation_id, requirement_id, asset_id, member_id, convention_id, status,
       ack_within_minutes, deploy_within_minutes, ack_deadline, escalation_level, accepted_quantity, decline_reason_code, decline_comment,
       notified_at, acknowledged_at, accepted_at, declined_at, deployed_at, released_at, last_escalated_at,
       delivery_attempts, delivery_failed_at, delivery_error, created_at, updated_at)
     SELECT gen_random_uuid(), $1, x.requirement_id, x.asset_id, x.member_id, x.convention_id, s.status,
            x.ack, x.deploy, coalesce(n.notified_at, $2::timestamptz) + make_interval(mins => x.ack * (e.level + 1)), e.level,
            CASE WHEN p.accepted_at IS NOT NULL THEN x.quantity END,
            CASE WHEN s.status = 'DECLINED' THEN d.reason END,
            CASE WHEN s.status = 'DECLINED' AND d.reason = 'OTHER' THEN 'Équipe déjà mobilisée par un autre service de l''État' END,
            n.notified_at, k.acknowledged_at, p.accepted_at, p.declined_at, dp.deployed_at, rl.released_at,
            CASE WHEN e.level > 0 THEN n.notified_at + make_interval(mins => x.ack * e.level) END,
            CASE WHEN s.status = 'PENDING' THEN 8 ELSE 1 END,
            CASE WHEN s.status = 'PENDING' THEN $2::timestamptz + make_interval(secs => $3::int) END,
            CASE WHEN s.status = 'PENDING' THEN 'HTTP 503 Service Unavailable' END,
            $2::timestamptz, greatest($2::timestamptz, n.notified_at, k.acknowledged_at, p.accepted_at, p.declined_at, dp.deployed_at, rl.released_at,
                         CASE WHEN s.status = 'PENDING' THEN $2::timestamptz + make_interval(secs => $3::int) END,
                         CASE WHEN e.level > 0 THEN n.notified_at + make_interval(mins => x.ack * e.level) END)
     FROM (
       SELECT a.id AS asset_id, a.member_id, a.quantity, r.id AS requirement_id, c.id AS convention_id,
              c.ack_within_minutes AS ack, c.deploy_within_minutes AS deploy, delivery.seconds AS notify_seconds,
              random() AS status_roll, random() AS ack_roll, random() AS step_roll, random() AS deploy_roll,
              random() AS release_roll, random() AS direct_roll, random() AS reason_roll, random() AS level_roll
       FROM asset a
       JOIN convention c ON c.member_id = a.member_id
       JOIN activation_requirement r ON r.activation_id = $1 AND r.category = a.category
       JOIN delivery ON delivery.member_id = a.member_id
       OFFSET 0
     ) AS x
     CROSS JOIN LATERAL (SELECT CASE WHEN x.status_roll < 0.005 THEN 'PENDING' WHEN x.status_roll < 0.12 THEN 'ESCALATED'
                                     WHEN x.status_roll < 0.45 THEN 'ACKNOWLEDGED' WHEN x.status_roll < 0.65 THEN 'DECLINED'
                                     WHEN x.status_roll < 0.72 THEN 'ACCEPTED' WHEN x.status_roll < 0.86 THEN 'DEPLOYED'
                                     ELSE 'RELEASED' END AS status) AS s
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status <> 'PENDING' THEN date_trunc('milliseconds', $2::timestamptz + x.notify_seconds * interval '1 second') END AS notified_at,
                                x.ack * 1.6 * x.ack_roll ^ 2 AS ack_delay_minutes) AS n
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status NOT IN ('PENDING','ESCALATED')
                                     THEN date_trunc('milliseconds', n.notified_at + n.ack_delay_minutes * interval '1 minute') END AS acknowledged_at) AS k
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status IN ('ACCEPTED','DEPLOYED','RELEASED')
                                     THEN date_trunc('milliseconds', k.acknowledged_at + (1 + x.step_roll * 19) * interval '1 minute') END AS accepted_at,
                                CASE WHEN s.status = 'DECLINED' AND x.direct_roll < 0.4 THEN k.acknowledged_at
                                     WHEN s.status = 'DECLINED' THEN date_trunc('milliseconds', k.acknowledged_at + (1 + x.step_roll * 29) * interval '1 minute')
                                END AS declined_at) AS p
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status IN ('DEPLOYED','RELEASED')
                                     THEN date_trunc('milliseconds', p.accepted_at + x.deploy * 1.5 * x.deploy_roll ^ 2 * interval '1 minute') END AS deployed_at) AS dp
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status = 'RELEASED'
                                     THEN date_trunc('milliseconds', dp.deployed_at + (2 + x.release_roll * 28) * interval '1 hour') END AS released_at) AS rl
     CROSS JOIN LATERAL (SELECT CASE WHEN s.status = 'ESCALATED' THEN 1 + floor(x.level_roll * 3)::int
                                     WHEN k.acknowledged_at IS NOT NULL THEN floor(n.ack_delay_minutes / x.ack)::int
                                     ELSE 0 END AS level) AS e
     CROSS JOIN LATERAL (SELECT (ARRAY['NOT_AVAILABLE','NOT_AVAILABLE','CAPACITY_ENGAGED','CAPACITY_ENGAGED','OUT_OF_AREA','SAFETY','OTHER'])
                                  [1 + floor(x.reason_roll * 7)::int] AS reason) AS d`,
    [activationId, authorizedAt.toISOString(), DELIVERY_GIVEN_UP_AFTER_S],
  );
}

/**
 * Requirements count what their requests accepted. The MET_CATEGORY one asked exactly that
 * much, so its last accept met it: as the stand-down rule does, every request still open then
 * (or declined only later) is stood down at that instant, escalated as often as its deadline
 * passed before. The others still need more.
 */
async function meetOneRequirement(db: pg.Client, activationId: string): Promise<void> {
  await db.query(
    `UPDATE activation_requirement r
     SET accepted_quantity = t.accepted,
         quantity = t.accepted + CASE WHEN r.category = $2 THEN 0 ELSE greatest(5, t.accepted / 4) END,
         met_at = CASE WHEN r.category = $2 THEN t.last_accepted_at END
     FROM (SELECT requirement_id, sum(accepted_quantity)::int AS accepted, max(accepted_at) AS last_accepted_at
           FROM mobilization_request WHERE activation_id = $1 GROUP BY requirement_id) AS t
     WHERE r.id = t.requirement_id AND t.accepted > 0`,
    [activationId, MET_CATEGORY],
  );
  await db.query(
    `UPDATE mobilization_request q
     SET status = 'STOOD_DOWN', stood_down_at = w.met_at, acknowledged_at = w.acknowledged_at,
         declined_at = NULL, decline_reason_code = NULL, decline_comment = NULL,
         escalation_level = w.level,
         last_escalated_at = CASE WHEN w.level > 0 THEN q.notified_at + make_interval(mins => q.ack_within_minutes * w.level) END,
         ack_deadline = coalesce(q.notified_at, q.created_at) + make_interval(mins => q.ack_within_minutes * (w.level + 1)),
         updated_at = w.met_at
     FROM (
       SELECT q.id, r.met_at, kept.acknowledged_at,
              CASE WHEN q.notified_at IS NULL THEN 0
                   ELSE least(3, floor(extract(epoch FROM coalesce(kept.acknowledged_at, r.met_at) - q.notified_at) / 60 / q.ack_within_minutes))::int
              END AS level
       FROM mobilization_request q
       JOIN activation_requirement r ON r.id = q.requirement_id AND r.met_at IS NOT NULL
       CROSS JOIN LATERAL (SELECT CASE WHEN q.acknowledged_at < r.met_at THEN q.acknowledged_at END AS acknowledged_at) AS kept
       WHERE q.activation_id = $1
         AND (q.status IN ('PENDING','NOTIFIED','ESCALATED','ACKNOWLEDGED') OR (q.status = 'DECLINED' AND q.declined_at > r.met_at))
     ) AS w
     WHERE q.id = w.id`,
    [activationId],
  );
}
