import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { generate } from 'otplib';

/** The initial ADMIN of the service under test: it creates the users each journey needs, through the API. */
export const BROWSER_ADMIN = { email: 'admin@renfort.test', password: 'browser-bootstrap-secret-2026' };

/** The one agent ProConnect knows in the browser tests (global-setup.ts); a journey gives it a Renfort account. */
export const PROCONNECT_AGENT = { login: 'camille.martin', email: 'camille.martin@interieur.test' };

export type Role = 'ADMIN' | 'MEMBER' | 'DIRECTORATE' | 'CRISIS_OPERATOR' | 'MINISTER' | 'AUDITOR';

export interface Account {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/** Where the service under test listens (set by global-setup.ts). */
export function serviceUrl(): string {
  const url = process.env.RENFORT_CONSOLE_URL;
  if (!url) throw new Error('RENFORT_CONSOLE_URL is not set: run the browser tests with `npx playwright test`');
  return url;
}

async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${serviceUrl()}/api/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Wrong passwords for the account, until the service refuses to check more for a while. */
export async function exhaustSignInAttempts(account: Account): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const response = await fetch(`${serviceUrl()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: 'pas le bon mot de passe' }),
    });
    if (response.status === 429) return;
  }
  throw new Error('The service never refused the attempts');
}

export async function signInForToken(email: string, password: string, otp?: string): Promise<string> {
  return (await api<{ accessToken: string }>('POST', '/auth/login', { email, password, ...(otp ? { otp } : {}) })).accessToken;
}

let adminSession: Promise<string> | undefined;

/**
 * The initial ADMIN's token, signed in once per worker: the journeys share one account, and each
 * of its sign-ins counts against the service's limit of sign-ins per account and minute.
 */
export function adminToken(): Promise<string> {
  adminSession ??= signInForToken(BROWSER_ADMIN.email, BROWSER_ADMIN.password).catch((error: unknown) => {
    adminSession = undefined;
    throw error;
  });
  return adminSession;
}

/** A new user of the role, created by the ADMIN through the API. */
export async function createAccount(role: Role, email = `${role.toLowerCase().replace('_', '.')}.${randomUUID().slice(0, 8)}@interieur.test`): Promise<Account> {
  const admin = await adminToken();
  const password = 'un mot de passe assez long';
  const created = await api<{ id: string }>('POST', '/users', { email, password, role }, admin);
  return { id: created.id, email, password, role };
}

/** The current TOTP code of a secret, or that of the next 30-second step (a code is used only once). */
export function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

/**
 * Enrols a TOTP second factor for the account through the API; answers its secret. A code is used
 * once and only after a later one: enrolling with the previous step's code leaves this step's and
 * the next one's for two more checks right away.
 */
export async function enrolSecondFactor(account: Account, stepsAhead = 0): Promise<string> {
  const token = await signInForToken(account.email, account.password);
  const { secret } = await api<{ secret: string }>('POST', '/users/me/mfa/totp', undefined, token);
  await api('POST', '/users/me/mfa/totp/confirm', { code: await totpCode(secret, stepsAhead) }, token);
  return secret;
}

/** A crisis opened through the API by a crisis operator. */
export async function openCrisis(operator: Account, crisis: { title: string; type: string; departements: string[]; severity: number; exercise?: boolean }) {
  const token = await signInForToken(operator.email, operator.password);
  return api<{ id: string }>('POST', '/crises', crisis, token);
}

/**
 * Signs a person in through the console's page (with the code of its second factor, when it has
 * one), and waits until it is: the console has left its sign-in page and names the person.
 */
export async function signIn(page: Page, account: { email: string; password: string }, secret?: string): Promise<void> {
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill(account.email);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  if (secret) {
    await page.getByLabel('Code de vérification').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Se connecter' }).click();
  }
  await expect(page).not.toHaveURL(/\/connexion$/);
  await expect(page.getByRole('banner')).toContainText(account.email);
}
