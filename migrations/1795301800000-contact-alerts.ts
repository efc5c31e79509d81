import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts to people. `contact_alert`: one per person, activation and step of the escalation chain,
 * with its SMS reply code and when its messages were composed; `contact_alert_request`: the
 * requests it lists (a request is alerted once per step); `answer_link_use`: the answer links
 * already used (single use), by the hash of their token; `channel_delivery.alert_id` ties each
 * message to its alert, for delivery status per method and the time to reach a person;
 * `message_answer`: the answers given from an alert, by channel and person, for the report;
 * `convention_notice`: the convention notices emailed, once per event and correspondent.
 */
export class ContactAlerts1795301800000 implements MigrationInterface {
  name = 'ContactAlerts1795301800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE contact_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        activation_id uuid NOT NULL REFERENCES activation (id),
        level int NOT NULL,
        contact_id uuid NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        -- A later request reaching a person whose alert already left gets an alert of its own.
        round int NOT NULL DEFAULT 0,
        reply_code text NOT NULL,
        created_at timestamptz NOT NULL,
        composed_at timestamptz NULL,
        UNIQUE (activation_id, level, contact_id, round),
        CONSTRAINT contact_alert_code_check CHECK (reply_code ~ '^[0-9]{4}$')
      )`);
    await db.query(`CREATE INDEX contact_alert_code_idx ON contact_alert (reply_code, contact_id)`);
    await db.query(`
      CREATE TABLE contact_alert_request (
        alert_id uuid NOT NULL REFERENCES contact_alert (id) ON DELETE CASCADE,
        request_id uuid NOT NULL REFERENCES mobilization_request (id),
        level int NOT NULL,
        position int NOT NULL,
        PRIMARY KEY (alert_id, request_id),
        UNIQUE (request_id, level)
      )`);
    await db.query(`
      CREATE TABLE answer_link_use (
        token_hash text PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES contact_alert (id) ON DELETE CASCADE,
        request_id uuid NOT NULL,
        action text NOT NULL,
        used_at timestamptz NOT NULL
      )`);
    // Answers given from an alert, for the report (the audit log has them too, as events).
    await db.query(`
      CREATE TABLE message_answer (
        request_id uuid NOT NULL REFERENCES mobilization_request (id),
        alert_id uuid NOT NULL REFERENCES contact_alert (id) ON DELETE CASCADE,
        response text NOT NULL,
        channel text NOT NULL,
        contact_id uuid NULL REFERENCES contact (id) ON DELETE SET NULL,
        level int NOT NULL,
        answered_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, response),
        CONSTRAINT message_answer_channel_check CHECK (channel IN ('email', 'sms'))
      )`);
    // The convention notices emailed, by the event that called for them: a replayed event emails nobody twice.
    await db.query(`
      CREATE TABLE convention_notice (
        event_id uuid NOT NULL,
        contact_id uuid NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        delivery_id uuid NOT NULL,
        PRIMARY KEY (event_id, contact_id)
      )`);
    await db.query(`ALTER TABLE channel_delivery ADD COLUMN alert_id uuid NULL REFERENCES contact_alert (id) ON DELETE SET NULL`);
    await db.query(`CREATE INDEX channel_delivery_alert_idx ON channel_delivery (alert_id) WHERE alert_id IS NOT NULL`);
    await db.query(`ALTER TABLE channel_delivery DROP CONSTRAINT channel_delivery_purpose_check`);
    await db.query(`ALTER TABLE channel_delivery ADD CONSTRAINT channel_delivery_purpose_check CHECK (purpose IN ('verification', 'test', 'alert', 'reply', 'convention'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM channel_delivery WHERE purpose IN ('reply', 'convention')`);
    await db.query(`ALTER TABLE channel_delivery DROP CONSTRAINT channel_delivery_purpose_check`);
    await db.query(`ALTER TABLE channel_delivery ADD CONSTRAINT channel_delivery_purpose_check CHECK (purpose IN ('verification', 'test', 'alert'))`);
    await db.query(`ALTER TABLE channel_delivery DROP COLUMN alert_id`);
    await db.query(`DROP TABLE convention_notice`);
    await db.query(`DROP TABLE message_answer`);
    await db.query(`DROP TABLE answer_link_use`);
    await db.query(`DROP TABLE contact_alert_request`);
    await db.query(`DROP TABLE contact_alert`);
  }
}
