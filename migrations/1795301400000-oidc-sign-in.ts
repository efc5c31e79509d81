import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in through an OpenID Connect provider: one row per attempt, from the redirect to the
 * provider until its callback, used once. The state, nonce and PKCE verifier stay on the server;
 * the browser that started the attempt holds only a random value whose hash is kept here. A
 * successful attempt keeps the provider's ID token for the session's lifetime: signing out at the
 * provider presents it (`id_token_hint`).
 */
export class OidcSignIn1795301400000 implements MigrationInterface {
  name = 'OidcSignIn1795301400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE oidc_sign_in (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state text NOT NULL UNIQUE,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        browser_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        outcome text,
        subject text,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        id_token text,
        session_expires_at timestamptz,
        ended_at timestamptz,
        CONSTRAINT oidc_sign_in_outcome CHECK (outcome IN ('SIGNED_IN', 'REFUSED')),
        CONSTRAINT oidc_sign_in_used_once CHECK (outcome IS NULL OR used_at IS NOT NULL),
        CONSTRAINT oidc_sign_in_signed_in_user CHECK (outcome IS DISTINCT FROM 'SIGNED_IN' OR user_id IS NOT NULL)
      )`);
    // Attempts never finished and sessions gone are deleted by age.
    await db.query(`CREATE INDEX oidc_sign_in_expiry_idx ON oidc_sign_in (coalesce(session_expires_at, expires_at))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE oidc_sign_in`);
  }
}
