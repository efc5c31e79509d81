import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rotated webhook secret keeps signing, beside the new one, for a grace period: the member's
 * previous secret and the instant it stops. Both are set together, or neither.
 */
export class WebhookSecretGrace1795301500000 implements MigrationInterface {
  name = 'WebhookSecretGrace1795301500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE member
        ADD COLUMN webhook_previous_secret text,
        ADD COLUMN webhook_previous_secret_expires_at timestamptz,
        ADD CONSTRAINT member_webhook_previous_secret_check
          CHECK ((webhook_previous_secret IS NULL) = (webhook_previous_secret_expires_at IS NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE member
        DROP CONSTRAINT member_webhook_previous_secret_check,
        DROP COLUMN webhook_previous_secret_expires_at,
        DROP COLUMN webhook_previous_secret`);
  }
}
