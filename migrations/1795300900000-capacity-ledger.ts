import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The rules of eligible_assets() that do not change here; only the asset's status and units do. */
const eligibleAssets = (statusAndUnits: string, quantity: string) => `
  CREATE OR REPLACE FUNCTION eligible_assets(
    p_crisis_type text, p_departements text[], p_categories text[], p_at timestamptz, p_stale_before timestamptz, p_today date
  ) RETURNS TABLE (
    asset_id uuid, asset_name text, category text, quantity int, lead_time_minutes int, member_id uuid, member_name text,
    convention_id uuid, directorate_code text, ack_within_minutes int, deploy_within_minutes int
  ) LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (a.id)
      a.id, a.name, a.category, ${quantity}, a.lead_time_minutes, m.id, m.legal_name,
      c.id, c.directorate_code, c.ack_within_minutes, c.deploy_within_minutes
    FROM asset a
    JOIN member m ON m.id = a.member_id AND m.status = 'ACTIVE'
    JOIN convention_asset ca ON ca.asset_id = a.id
    JOIN convention c ON c.id = ca.convention_id
     AND c.status = 'ACTIVE'
     AND c.starts_on <= p_today AND c.ends_on >= p_today
     AND p_crisis_type = ANY (c.crisis_types)
     AND (c.national OR c.departements && p_departements)
    WHERE ${statusAndUnits}
      AND a.category = ANY (p_categories)
      AND a.attested_at >= p_stale_before
      AND (a.national OR a.departements && p_departements)
      AND NOT EXISTS (
        SELECT 1 FROM asset_unavailability u WHERE u.asset_id = a.id AND u.starts_at <= p_at AND u.ends_at > p_at
      )
    ORDER BY a.id, c.ack_within_minutes, c.id
  $$`;

/**
 * The capacity ledger: an asset's quantity is what it gives across all activations at once.
 * `committed_quantity` is the units held by its ACCEPTED and DEPLOYED requests; the accept adds
 * them under the asset's row lock and the release gives them back, and the CHECK makes
 * over-commitment impossible whatever the code does. Eligibility (so the preview and the
 * fan-out) offers the remaining units only, and an ENGAGED asset stays eligible for them.
 * Requests accepted before the ledger are counted; an asset they over-committed (the defect
 * this closes) starts full rather than beyond its quantity.
 */
export class CapacityLedger1795300900000 implements MigrationInterface {
  name = 'CapacityLedger1795300900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE asset ADD COLUMN committed_quantity int NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE asset a SET committed_quantity = LEAST(a.quantity, h.held)
      FROM (SELECT asset_id, sum(coalesce(accepted_quantity, 0))::int AS held FROM mobilization_request
            WHERE status IN ('ACCEPTED', 'DEPLOYED') GROUP BY asset_id) h
      WHERE a.id = h.asset_id`);
    // The status follows the ledger, so a deployment released while another was out shows again.
    await db.query(`
      UPDATE asset SET status = CASE WHEN committed_quantity > 0 THEN 'ENGAGED' ELSE 'AVAILABLE' END
      WHERE status IN ('AVAILABLE', 'ENGAGED') AND (status = 'ENGAGED') <> (committed_quantity > 0)`);
    await db.query(
      `ALTER TABLE asset ADD CONSTRAINT asset_committed_within_quantity CHECK (committed_quantity BETWEEN 0 AND quantity)`,
    );
    await db.query(eligibleAssets(
      `a.status IN ('AVAILABLE', 'ENGAGED') AND a.committed_quantity < a.quantity`,
      `a.quantity - a.committed_quantity`,
    ));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(eligibleAssets(`a.status = 'AVAILABLE'`, `a.quantity`));
    await db.query(`ALTER TABLE asset DROP COLUMN committed_quantity`);
  }
}
