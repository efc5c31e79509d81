import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MailServer } from '../../support/mail-server.js';
import { TestOidcProvider } from '../../support/oidc-provider.js';
import { deleteRedisKeys, freePort } from '../../support/redis-server.js';
import { ServiceProcess } from '../../support/service-process.js';
import { BROWSER_ADMIN, PROCONNECT_AGENT } from './accounts.js';
import { keepMail } from './mailbox.js';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../test-settings.js';

/** 32 bytes in hexadecimal: the key that seals TOTP secrets in the browser tests' database. */
const MFA_ENCRYPTION_KEY = '5f'.repeat(32);

/**
 * The compiled service (`npm start`), as a person's browser meets it: on a database of its own,
 * made afresh (the suite's name with `_browser`), the test Redis under a prefix of its own.
 * A MINISTER must enrol a second factor before anything else, as in production; ProConnect is
 * configured. Email goes to a real SMTP server, which writes each message it accepts to the
 * directory RENFORT_MAIL_DIR (support/mailbox.ts reads them). The tests find the service at
 * RENFORT_CONSOLE_URL, the provider at RENFORT_OIDC_ISSUER; the returned function stops them all.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const databaseUrl = new URL(TEST_DATABASE_URL);
  databaseUrl.pathname = `/${assertTestDatabase(TEST_DATABASE_URL)}_browser`;
  await recreateDatabase(databaseUrl);
  const queuePrefix = `renfort-test-browser-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  // ProConnect, played by a real OpenID provider on another port, which knows one agent.
  const oidcClient = {
    clientId: 'renfort-console',
    clientSecret: randomBytes(24).toString('hex'),
    redirectUri: `${serviceUrl}/api/v1/auth/oidc/callback`,
    postLogoutRedirectUri: `${serviceUrl}/connexion`,
    signedUserinfo: true,
  };
  const provider = await TestOidcProvider.start([oidcClient]);
  provider.accounts.set(PROCONNECT_AGENT.login, { email: PROCONNECT_AGENT.email, given_name: 'Camille', usual_name: 'Martin', amr: ['pwd'] });
  const mailDirectory = mkdtempSync(path.join(tmpdir(), 'renfort-browser-mail-'));
  const mail = await MailServer.start();
  mail.onMessage = (message) => {
    try {
      keepMail(mailDirectory, message);
    } catch (error) {
      process.stderr.write(`A message could not be kept for the journeys: ${(error as Error).message}\n`);
    }
  };
  const service = new ServiceProcess(port, {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: BROWSER_ADMIN.email,
    ADMIN_PASSWORD: BROWSER_ADMIN.password,
    MFA_REQUIRED_ROLES: 'MINISTER',
    // The ministerial decision asks for a second factor checked recently, as in production, within
    // a short window here, so that a journey meets the step-up a minister meets after 15 minutes.
    AUTHORIZATION_REQUIRES_MFA: 'true',
    MFA_STEP_UP_WINDOW: '5s',
    MFA_ENCRYPTION_KEY,
    LOGIN_THROTTLE_LIMIT: '10',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: oidcClient.clientId,
    OIDC_CLIENT_SECRET: oidcClient.clientSecret,
    OIDC_REDIRECT_URI: oidcClient.redirectUri,
    OIDC_POST_LOGOUT_REDIRECT_URI: oidcClient.postLogoutRedirectUri,
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    SMTP_URL: mail.url,
    SMTP_FROM: 'Renfort <alertes@renfort.test>',
  });
  service.start();
  try {
    await service.line((line) => line.context === 'Renfort' && /listening/.test(line.msg ?? ''));
  } catch (error) {
    // No teardown runs after a failed set-up: nothing it started may outlive it.
    await service.stop();
    await provider.close();
    await mail.close();
    rmSync(mailDirectory, { recursive: true, force: true });
    throw error;
  }
  process.env.RENFORT_CONSOLE_URL = service.url;
  process.env.RENFORT_OIDC_ISSUER = provider.issuer;
  process.env.RENFORT_MAIL_DIR = mailDirectory;

  return async () => {
    const code = await service.stop();
    await provider.close();
    await mail.close();
    rmSync(mailDirectory, { recursive: true, force: true });
    await deleteRedisKeys(TEST_REDIS_URL, `${queuePrefix}:*`);
    if (code !== 0) process.stderr.write(`The service under test stopped with code ${code}:\n${service.output.slice(-4000)}\n`);
  };
}

async function recreateDatabase(url: URL): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const name = decodeURIComponent(url.pathname.slice(1));
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
