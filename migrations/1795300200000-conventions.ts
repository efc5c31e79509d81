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
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE convention_asset`);
    await db.query(`DROP TABLE convention`);
  }
}
