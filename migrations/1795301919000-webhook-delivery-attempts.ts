import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every attempt to deliver to a member's webhook, for the member's duty officer to see what its
 * endpoint received and what it answered. One row per POST (a delivery carries many requests);
 * the endpoint's origin only (a path or query may carry the member's own access token) and, for
 * a failure, what the member may read of it (never why a connection failed). Kept 30 days.
 */
export class WebhookDeliveryAttempts1795301919000 implements MigrationInterface {
  name = 'WebhookDeliveryAttempts1795301919000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_delivery_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES member (id) ON DELETE CASCADE,
        delivery_id text NOT NULL,
        event_type text NOT NULL,
        url_origin text NOT NULL,
        attempt int NOT NULL,
        attempted_at timestamptz NOT NULL,
        http_status int NULL,
        error text NULL,
        duration_ms int NOT NULL,
        ok boolean NOT NULL,
        CONSTRAINT webhook_delivery_attempt_outcome_check CHECK (ok = (error IS NULL)),
        CONSTRAINT webhook_delivery_attempt_attempt_check CHECK (attempt >= 1 AND duration_ms >= 0)
      )`);
    // The member's newest first; the purge by age.
    await db.query(`CREATE INDEX webhook_delivery_attempt_member_idx ON webhook_delivery_attempt (member_id, attempted_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhook_delivery_attempt_age_idx ON webhook_delivery_attempt (attempted_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_delivery_attempt`);
  }
}
