import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Conventions between members and directorates, their versions (amendments) and covered assets. */
export class Conventions1795300200000 implements MigrationInterface {
  name = 'Conventions1795300200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE convention (
        id uuid PRIMARY KEY,
        lineage_id uuid NOT NULL,
        version int NOT NULL,
        previous_version_id uuid NULL REFERENCES convention (id),
        member_id uuid NOT NULL REFERENCES member (id),
        directorate_code text NOT NULL REFERENCES directorate (code),
        status text NOT NULL,
        crisis_types text[] NOT NULL,
        national boolean NOT NULL,
        departements text[] NOT NULL DEFAULT '{}',
        ack_within_minutes int NOT NULL,
        deploy_within_minutes int NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        term_days int NOT NULL,
        review_on date NOT NULL,
        tacit_renewal boolean NOT NULL,
        member_contact_ids uuid[] NOT NULL DEFAULT '{}',
        directorate_contact_id uuid NULL REFERENCES contact (id),
        status_reason text NULL,
        signed_at timestamptz NULL,
        signed_by uuid NULL REFERENCES users (id),
        countersigned_at timestamptz NULL,
        countersigned_by uuid NULL REFERENCES users (id),
        review_reminded_for date NULL,
        renewals int NOT NULL DEFAULT 0,
        row_version int NOT NULL DEFAULT 1,
        created_by uuid NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT convention_status_check CHECK (status IN
          ('DRAFT','PROPOSED','SIGNED','ACTIVE','SUSPENDED','TERMINATED','EXPIRED','SUPERSEDED')),
        CONSTRAINT convention_crisis_types_check CHECK (cardinality(crisis_types) > 0 AND crisis_types <@ ARRAY
          ['TERRORIST_ATTACK','NATURAL_DISASTER','INDUSTRIAL_ACCIDENT','CYBER_ATTACK','HEALTH','PUBLIC_ORDER','OTHER']),
        CONSTRAINT convention_scope_check CHECK (national = (cardinality(departements) = 0)),
        CONSTRAINT convention_commitments_check CHECK (ack_within_minutes > 0 AND deploy_within_minutes > 0),
        CONSTRAINT convention_period_check CHECK (starts_on < ends_on AND review_on BETWEEN starts_on AND ends_on AND term_days > 0),
        CONSTRAINT convention_version_check CHECK (version >= 1),
        CONSTRAINT convention_lineage_version_key UNIQUE (lineage_id, version)
      )`);
    // One version in force per lineage, and at most one under negotiation (an amendment).
    await db.query(`CREATE UNIQUE INDEX convention_one_in_force ON convention (lineage_id) WHERE status IN ('ACTIVE','SUSPENDED')`);
    await db.query(`CREATE UNIQUE INDEX convention_one_open ON convention (lineage_id) WHERE status IN ('DRAFT','PROPOSED','SIGNED')`);
    await db.query(`CREATE INDEX convention_member_idx ON convention (member_id, status)`);
    await db.query(`CREATE INDEX convention_directorate_idx ON convention (directorate_code, status)`);
    await db.query(`CREATE INDEX convention_active_ends_idx ON convention (ends_on) WHERE status = 'ACTIVE'`);
    await db.query(`CREATE INDEX convention_crisis_types_idx ON convention USING gin (crisis_types)`);

    await db.query(`
      CREATE TABLE convention_asset (
        convention_id uuid NOT NULL REFERENCES convention (id),
        asset_id uuid NOT NULL REFERENCES asset (id),
        PRIMARY KEY (convention_id, asset_id)
      )`);
    await db.query(`CREATE INDEX convention_asset_asset_idx ON convention_asset (asset_id, convention_id)`);

    // Eligibility, in one place for every caller (the preview, the fan-out, the API): see
    // src/conventions/queries/eligible-assets.ts for the rules. An asset under several
    // conventions comes once, through the tightest acknowledgement commitment.
    await db.query(`
      CREATE FUNCTION eligible_assets(
        p_crisis_type text, p_departements text[], p_categories text[], p_at timestamptz, p_stale_before timestamptz, p_today date
      ) RETURNS TABLE (
        asset_id uuid, asset_name text, category text, quantity int, lead_time_minutes int, member_id uuid, member_name text,
        convention_id uuid, directorate_code text, ack_within_minutes int, deploy_within_minutes int
      ) LANGUAGE sql STABLE AS $$
        SELECT DISTINCT ON (a.id)
          a.id, a.name, a.category, a.quantity, a.lead_time_minutes, m.id, m.legal_name,
          c.id, c.directorate_code, c.ack_within_minutes, c.deploy_within_minutes
        FROM asset a
        JOIN member m ON m.id = a.member_id AND m.status = 'ACTIVE'
        JOIN convention_asset ca ON ca.asset_id = a.id
        JOIN convention c ON c.id = ca.convention_id
         AND c.status = 'ACTIVE'
         AND c.starts_on <= p_today AND c.ends_on >= p_today
         AND p_crisis_type = ANY (c.crisis_types)
         AND (c.national OR c.departements && p_departements)
        WHERE a.status = 'AVAILABLE'
          AND a.category = ANY (p_categories)
          AND a.attested_at >= p_stale_before
          AND (a.national OR a.departements && p_departements)
          AND NOT EXISTS (
            SELECT 1 FROM asset_unavailability u WHERE u.asset_id = a.id AND u.starts_at <= p_at AND u.ends_at > p_at
          )
        ORDER BY a.id, c.ack_within_minutes, c.id
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION eligible_assets(text, text[], text[], timestamptz, timestamptz, date)`);
    await db.query(`DROP TABLE convention_asset`);
    await db.query(`DROP TABLE convention`);
  }
}
