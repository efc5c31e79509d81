import type { MigrationInterface, QueryRunner } from 'typeorm';

const DIRECTORATES: [string, string][] = [
  ['DGPN', 'Direction générale de la police nationale'],
  ['DGGN', 'Direction générale de la gendarmerie nationale'],
  ['DGSCGC', 'Direction générale de la sécurité civile et de la gestion des crises'],
  ['DGSI', 'Direction générale de la sécurité intérieure'],
  ['DGEF', 'Direction générale des étrangers en France'],
  ['DGCL', 'Direction générale des collectivités locales'],
  ['PP', 'Préfecture de police'],
  ['DNUM', 'Direction du numérique'],
  ['DLPAJ', 'Direction des libertés publiques et des affaires juridiques'],
];

const CATEGORIES: [string, string][] = [
  ['DRONE', 'Drones and counter-drone systems'],
  ['SECURE_TELECOM', 'Secure telecommunications'],
  ['URBAN_SECURITY', 'Urban security systems (video protection, access control, perimeter)'],
  ['SOFTWARE', 'Software and platforms'],
  ['CYBER_EXPERT', 'Cybersecurity experts'],
  ['OTHER_EXPERTISE', 'Other expertise'],
];

/** Members of the charter, their contacts and assets, reference data and unsolicited offers. */
export class Registry1795300100000 implements MigrationInterface {
  name = 'Registry1795300100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE directorate (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `INSERT INTO directorate (code, name) SELECT * FROM unnest($1::text[], $2::text[])`,
      [DIRECTORATES.map(([code]) => code), DIRECTORATES.map(([, name]) => name)],
    );

    await db.query(`
      CREATE TABLE asset_category (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `INSERT INTO asset_category (code, label) SELECT * FROM unnest($1::text[], $2::text[])`,
      [CATEGORIES.map(([code]) => code), CATEGORIES.map(([, label]) => label)],
    );

    await db.query(`
      CREATE TABLE member (
        id uuid PRIMARY KEY,
        legal_name text NOT NULL,
        siren char(9) NOT NULL,
        charter_signed_at date NOT NULL,
        charter_signatory text NOT NULL,
        webhook_url text NULL,
        webhook_secret text NULL,
        status text NOT NULL,
        status_reason text NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT member_siren_key UNIQUE (siren),
        CONSTRAINT member_siren_digits CHECK (siren ~ '^[0-9]{9}$'),
        CONSTRAINT member_status_check CHECK (status IN ('PENDING','ACTIVE','SUSPENDED','WITHDRAWN')),
        CONSTRAINT member_webhook_secret CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
      )`);
    await db.query(`CREATE INDEX member_status_idx ON member (status)`);
    await db.query(`CREATE INDEX member_legal_name_idx ON member (lower(legal_name))`);

    await db.query(`ALTER TABLE users ADD CONSTRAINT users_member_fk FOREIGN KEY (member_id) REFERENCES member (id)`);
    await db.query(`ALTER TABLE users ADD CONSTRAINT users_directorate_fk FOREIGN KEY (directorate_code) REFERENCES directorate (code)`);

    await db.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY,
        member_id uuid NULL REFERENCES member (id),
        directorate_code text NULL REFERENCES directorate (code),
        name text NOT NULL,
        role text NOT NULL,
        phone text NOT NULL,
        email text NOT NULL,
        escalation_order int NOT NULL,
        available_24x7 boolean NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT contact_one_owner CHECK ((member_id IS NULL) <> (directorate_code IS NULL)),
        CONSTRAINT contact_role_check CHECK (role IN ('NATIONAL_CORRESPONDENT','REGIONAL_CORRESPONDENT','DUTY_OFFICER')),
        CONSTRAINT contact_phone_e164 CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        CONSTRAINT contact_escalation_order_positive CHECK (escalation_order >= 1)
      )`);
    await db.query(`CREATE UNIQUE INDEX contact_member_escalation_key ON contact (member_id, escalation_order) WHERE member_id IS NOT NULL`);
    await db.query(
      `CREATE UNIQUE INDEX contact_directorate_escalation_key ON contact (directorate_code, escalation_order) WHERE directorate_code IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE asset (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES member (id),
        category text NOT NULL REFERENCES asset_category (code),
        name text NOT NULL,
        quantity int NOT NULL,
        lead_time_minutes int NOT NULL,
        national boolean NOT NULL,
        departements text[] NOT NULL DEFAULT '{}',
        capability_tier smallint NULL,
        clearance text NULL,
        description text NULL,
        status text NOT NULL,
        attested_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT asset_quantity_positive CHECK (quantity >= 1),
        CONSTRAINT asset_lead_time_positive CHECK (lead_time_minutes >= 0),
        CONSTRAINT asset_coverage CHECK (national = (cardinality(departements) = 0)),
        CONSTRAINT asset_capability_tier CHECK (capability_tier BETWEEN 1 AND 4),
        CONSTRAINT asset_status_check CHECK (status IN ('AVAILABLE','UNAVAILABLE','ENGAGED','RETIRED'))
      )`);
    await db.query(`CREATE INDEX asset_member_idx ON asset (member_id, created_at)`);
    await db.query(`CREATE INDEX asset_created_idx ON asset (created_at, id)`);
    await db.query(`CREATE INDEX asset_category_status_idx ON asset (category, status, created_at)`);
    await db.query(`CREATE INDEX asset_status_idx ON asset (status, created_at)`);
    await db.query(`CREATE INDEX asset_departements_idx ON asset USING gin (departements)`);
    await db.query(`CREATE INDEX asset_national_idx ON asset (category, status) WHERE national`);
    await db.query(`CREATE INDEX asset_attested_at_idx ON asset (attested_at)`);

    await db.query(`
      CREATE TABLE asset_unavailability (
        id uuid PRIMARY KEY,
        asset_id uuid NOT NULL REFERENCES asset (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT asset_unavailability_order CHECK (starts_at < ends_at)
      )`);
    await db.query(`CREATE INDEX asset_unavailability_asset_idx ON asset_unavailability (asset_id, ends_at)`);

    await db.query(`
      CREATE TABLE unsolicited_offer (
        id uuid PRIMARY KEY,
        offered_by text NOT NULL,
        description text NOT NULL,
        category text NULL REFERENCES asset_category (code),
        contact_name text NULL,
        contact_email text NULL,
        contact_phone text NULL,
        status text NOT NULL,
        recorded_by uuid NOT NULL REFERENCES users (id),
        triaged_by uuid NULL REFERENCES users (id),
        triaged_at timestamptz NULL,
        triage_reason text NULL,
        member_id uuid NULL REFERENCES member (id),
        asset_id uuid NULL REFERENCES asset (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT unsolicited_offer_status_check CHECK (status IN ('QUARANTINED','ACCEPTED','REJECTED')),
        CONSTRAINT unsolicited_offer_accepted_link CHECK (status <> 'ACCEPTED' OR member_id IS NOT NULL),
        CONSTRAINT unsolicited_offer_rejected_reason CHECK (status <> 'REJECTED' OR triage_reason IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX unsolicited_offer_status_idx ON unsolicited_offer (status, created_at)`);
    await db.query(`CREATE INDEX unsolicited_offer_recorded_by_idx ON unsolicited_offer (recorded_by, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE unsolicited_offer`);
    await db.query(`DROP TABLE asset_unavailability`);
    await db.query(`DROP TABLE asset`);
    await db.query(`DROP TABLE contact`);
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_directorate_fk`);
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_member_fk`);
    await db.query(`DROP TABLE member`);
    await db.query(`DROP TABLE asset_category`);
    await db.query(`DROP TABLE directorate`);
  }
}
