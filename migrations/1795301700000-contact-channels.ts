import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email and SMS to people. `channel_delivery`: one row per message, its status from queued to
 * sent, delivered or failed; `contact_method`: whether a contact's email and phone were proven to
 * reach it, and the pending code (hashed) that proves it; `sms_delivery_receipt`: the SMS
 * centre's delivery receipts, by message id, kept even when one arrives before its submission is
 * recorded.
 */
export class ContactChannels1795301700000 implements MigrationInterface {
  name = 'ContactChannels1795301700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channel_delivery (
        id uuid PRIMARY KEY,
        -- The order messages were queued in, even within one instant.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        channel text NOT NULL,
        recipient text NOT NULL,
        purpose text NOT NULL,
        contact_id uuid NULL REFERENCES contact (id) ON DELETE SET NULL,
        subject text NULL,
        body text NOT NULL,
        secret text NULL,
        status text NOT NULL DEFAULT 'queued',
        attempts int NOT NULL DEFAULT 0,
        provider_message_ids text[] NOT NULL DEFAULT '{}',
        error text NULL,
        queued_at timestamptz NOT NULL,
        sent_at timestamptz NULL,
        delivered_at timestamptz NULL,
        failed_at timestamptz NULL,
        CONSTRAINT channel_delivery_channel_check CHECK (channel IN ('email', 'sms')),
        CONSTRAINT channel_delivery_purpose_check CHECK (purpose IN ('verification', 'test', 'alert')),
        CONSTRAINT channel_delivery_status_check CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
        CONSTRAINT channel_delivery_sent_check CHECK (status NOT IN ('sent', 'delivered') OR sent_at IS NOT NULL),
        CONSTRAINT channel_delivery_failed_check CHECK (status <> 'failed' OR (failed_at IS NOT NULL AND error IS NOT NULL)),
        CONSTRAINT channel_delivery_secret_check CHECK (status = 'queued' OR secret IS NULL)
      )`);
    await db.query(`CREATE INDEX channel_delivery_contact_idx ON channel_delivery (contact_id, channel, seq DESC)`);
    await db.query(`CREATE INDEX channel_delivery_provider_ids_idx ON channel_delivery USING gin (provider_message_ids)`);
    await db.query(`
      CREATE TABLE contact_method (
        contact_id uuid NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        method text NOT NULL,
        address text NOT NULL,
        verified_at timestamptz NULL,
        code_hash text NULL,
        code_sent_at timestamptz NULL,
        code_expires_at timestamptz NULL,
        failed_attempts int NOT NULL DEFAULT 0,
        PRIMARY KEY (contact_id, method),
        CONSTRAINT contact_method_method_check CHECK (method IN ('email', 'sms')),
        CONSTRAINT contact_method_code_check CHECK ((code_hash IS NULL) = (code_expires_at IS NULL)),
        CONSTRAINT contact_method_attempts_check CHECK (failed_attempts >= 0)
      )`);
    await db.query(`
      CREATE TABLE sms_delivery_receipt (
        message_id text PRIMARY KEY,
        state text NOT NULL,
        error_code text NULL,
        received_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sms_delivery_receipt`);
    await db.query(`DROP TABLE contact_method`);
    await db.query(`DROP TABLE channel_delivery`);
  }
}
