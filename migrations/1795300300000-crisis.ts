import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Crises, ministerial activations, their requirements and the mobilization requests they fan out. */
export class Crisis1795300300000 implements MigrationInterface {
  name = 'Crisis1795300300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE crisis (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        type text NOT NULL,
        departements text[] NOT NULL,
        severity smallint NOT NULL,
        exercise boolean NOT NULL,
        status text NOT NULL,
        opened_at timestamptz NOT NULL,
        opened_by uuid NOT NULL REFERENCES users (id),
        closed_at timestamptz NULL,
        closed_by uuid NULL REFERENCES users (id),
        CONSTRAINT crisis_type_check CHECK (type IN
          ('TERRORIST_ATTACK','NATURAL_DISASTER','INDUSTRIAL_ACCIDENT','CYBER_ATTACK','HEALTH','PUBLIC_ORDER','OTHER')),
        CONSTRAINT crisis_departements_check CHECK (cardinality(departements) > 0),
        CONSTRAINT crisis_severity_check CHECK (severity BETWEEN 1 AND 5),
        CONSTRAINT crisis_status_check CHECK (status IN ('OPEN','CLOSED'))
      )`);
    await db.query(`CREATE INDEX crisis_status_idx ON crisis (status, opened_at)`);

    await db.query(`
      CREATE TABLE activation (
        id uuid PRIMARY KEY,
        crisis_id uuid NOT NULL REFERENCES crisis (id),
        decision_reference text NOT NULL,
        status text NOT NULL,
        prepared_by uuid NOT NULL REFERENCES users (id),
        prepared_at timestamptz NOT NULL,
        authorized_by uuid NULL REFERENCES users (id),
        authorized_at timestamptz NULL,
        ended_by uuid NULL REFERENCES users (id),
        ended_at timestamptz NULL,
        end_reason text NULL,
        fulfilled_at timestamptz NULL,
        request_count int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL,
        CONSTRAINT activation_status_check CHECK (status IN
          ('PENDING_AUTHORIZATION','AUTHORIZED','IN_PROGRESS','FULFILLED','CLOSED','CANCELLED')),
        CONSTRAINT activation_four_eyes CHECK (authorized_by IS NULL OR authorized_by <> prepared_by)
      )`);
    await db.query(`CREATE INDEX activation_crisis_idx ON activation (crisis_id, status)`);

    await db.query(`
      CREATE TABLE activation_requirement (
        id uuid PRIMARY KEY,
        activation_id uuid NOT NULL REFERENCES activation (id),
        position int NOT NULL,
        category text NOT NULL REFERENCES asset_category (code),
        quantity int NOT NULL,
        departements text[] NOT NULL,
        needed_by timestamptz NULL,
        accepted_quantity int NOT NULL DEFAULT 0,
        met_at timestamptz NULL,
        CONSTRAINT activation_requirement_position_key UNIQUE (activation_id, position),
        CONSTRAINT activation_requirement_quantity_check CHECK (quantity >= 1),
        CONSTRAINT activation_requirement_not_overfilled CHECK (accepted_quantity BETWEEN 0 AND quantity),
        CONSTRAINT activation_requirement_departements_check CHECK (cardinality(departements) > 0)
      )`);

    await db.query(`
      CREATE TABLE mobilization_request (
        id uuid PRIMARY KEY,
        activation_id uuid NOT NULL REFERENCES activation (id),
        requirement_id uuid NOT NULL REFERENCES activation_requirement (id),
        asset_id uuid NOT NULL REFERENCES asset (id),
        member_id uuid NOT NULL REFERENCES member (id),
        convention_id uuid NOT NULL REFERENCES convention (id),
        status text NOT NULL,
        ack_within_minutes int NOT NULL,
        deploy_within_minutes int NOT NULL,
        ack_deadline timestamptz NOT NULL,
        escalation_level int NOT NULL DEFAULT 0,
        accepted_quantity int NULL,
        decline_reason_code text NULL,
        decline_comment text NULL,
        notified_at timestamptz NULL,
        acknowledged_at timestamptz NULL,
        accepted_at timestamptz NULL,
        declined_at timestamptz NULL,
        deployed_at timestamptz NULL,
        released_at timestamptz NULL,
        stood_down_at timestamptz NULL,
        last_escalated_at timestamptz NULL,
        delivery_attempts int NOT NULL DEFAULT 0,
        delivery_failed_at timestamptz NULL,
        delivery_error text NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT mobilization_request_asset_once UNIQUE (activation_id, asset_id),
        CONSTRAINT mobilization_request_status_check CHECK (status IN
          ('PENDING','NOTIFIED','ESCALATED','ACKNOWLEDGED','ACCEPTED','DECLINED','DEPLOYED','RELEASED','STOOD_DOWN')),
        CONSTRAINT mobilization_request_decline_reason_check CHECK (decline_reason_code IS NULL OR decline_reason_code IN
          ('NOT_AVAILABLE','OUT_OF_AREA','CAPACITY_ENGAGED','SAFETY','OTHER')),
        CONSTRAINT mobilization_request_accepted_quantity_check CHECK (accepted_quantity IS NULL OR accepted_quantity >= 1)
      )`);
    await db.query(`CREATE INDEX mobilization_request_activation_idx ON mobilization_request (activation_id, status)`);
    await db.query(`CREATE INDEX mobilization_request_requirement_idx ON mobilization_request (requirement_id, status)`);
    await db.query(`CREATE INDEX mobilization_request_member_idx ON mobilization_request (member_id, activation_id, status)`);
    await db.query(`CREATE INDEX mobilization_request_pending_idx ON mobilization_request (created_at) WHERE status = 'PENDING'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mobilization_request`);
    await db.query(`DROP TABLE activation_requirement`);
    await db.query(`DROP TABLE activation`);
    await db.query(`DROP TABLE crisis`);
  }
}
