import type { Page } from '@playwright/test';
import { type Account, createAccount, enrolSecondFactor, exhaustSignInAttempts, openCrisis, PROCONNECT_AGENT, totpCode } from './support/accounts.js';
import { expect, test } from './support/console.js';

/**
 * The web console as people use it, in Chromium, against the compiled service: elements are found
 * by role and label, as a screen reader finds them; each page is screenshot and audited with axe.
 */

async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByLabel('Adresse électronique').fill(account.email);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('an operator signs in and opens a crisis', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  const title = `Crues de la Vésubie ${operator.id.slice(0, 6)}`;

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à Renfort' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Ministère');
  await expect(page.getByRole('banner')).toContainText('Renfort');
  // OpenID Connect is configured on this service: ProConnect is offered beside the password.
  await expect(page.getByRole('link', { name: 'S’identifier avec ProConnect' })).toBeVisible();
  await check('connexion');

  await page.getByLabel('Adresse électronique').fill(operator.email);
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse électronique ou mot de passe incorrect.');
  await check('mot de passe incorrect');

  await page.getByLabel('Mot de passe').fill(operator.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // The crisis cell's home is the crisis list.
  await expect(page).toHaveURL(/\/crises$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(`${operator.email} (Cellule de crise)`);
  await check('liste des crises');

  await page.getByRole('link', { name: 'Ouvrir une crise' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une crise' })).toBeVisible();
  await page.getByLabel('Intitulé').fill(title);
  await page.getByLabel('Type de crise').selectOption({ label: 'Catastrophe naturelle' });
  await page.getByLabel('Département', { exact: true }).selectOption({ label: '06 – Alpes-Maritimes' });
  await page.getByRole('button', { name: 'Ajouter ce département' }).click();
  await page.getByLabel('Département', { exact: true }).selectOption({ label: '971 – Guadeloupe' });
  await page.getByRole('button', { name: 'Ajouter ce département' }).click();
  await expect(page.getByRole('list', { name: 'Départements choisis' }).getByRole('listitem')).toHaveText(['06 – Alpes-Maritimes', '971 – Guadeloupe']);
  await page.getByText('4 – grave').click();
  await page.getByText('Il s’agit d’un exercice').click();
  await check('ouvrir une crise');
  await page.getByRole('button', { name: 'Ouvrir l’exercice' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('EXERCICE');
  await expect(page.getByText('Départements').locator('xpath=following-sibling::dd[1]')).toHaveText('06 – Alpes-Maritimes, 971 – Guadeloupe');
  await expect(page.getByText('Aucune activation n’a été préparée pour cette crise.')).toBeVisible();
  await check('page de la crise');

  await page.getByRole('navigation').getByRole('link', { name: 'Crises' }).click();
  const row = page.getByRole('table').first().getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('EXERCICE');
  await expect(row).toContainText('Catastrophe naturelle');
  await row.getByRole('link', { name: title }).click();

  await page.getByRole('button', { name: 'Clôturer' }).click();
  await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
  await expect(page.getByText('Clôturée', { exact: true })).toBeVisible();
  // Once closed, the API allows nothing more: the console offers nothing more.
  await expect(page.getByRole('button', { name: 'Clôturer' })).toHaveCount(0);
  await check('crise clôturée');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await page.goto('/crises');
  await expect(page).toHaveURL(/\/connexion$/);
});

test('a user with a second factor signs in with a code', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  const secret = await enrolSecondFactor(operator);

  await signIn(page, operator);
  const code = page.getByLabel('Code de vérification');
  await expect(code).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await check('code demandé');

  await code.fill('000000');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Ce code n’est pas valide');

  // The code of enrolment was used: the next one is accepted (one step either side of now).
  await code.fill(await totpCode(secret, 1));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
});

test('a person who tried too many passwords is told how long to wait', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  await exhaustSignInAttempts(operator);

  await signIn(page, operator);
  await expect(page.getByRole('alert')).toContainText(/Trop de tentatives de connexion\. Réessayez dans \d+ secondes?\./);
  await expect(page).toHaveURL(/\/connexion$/);
  await check('trop de tentatives');
});

test('a minister must enrol before anything else', async ({ console: { page, check } }) => {
  const minister = await createAccount('MINISTER');

  await signIn(page, minister);
  await expect(page).toHaveURL(/\/double-authentification$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Activer la double authentification' })).toBeVisible();
  // Nothing else until it is done: no navigation, and any other page leads back here.
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Crises' })).toHaveCount(0);
  await page.goto('/crises');
  await expect(page).toHaveURL(/\/double-authentification$/);

  await page.getByRole('button', { name: 'Commencer' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByLabel('Clé secrète').textContent())!;
  await expect(page.getByText(`otpauth://totp/`)).toBeVisible();
  await check('configuration de l’application');

  await page.getByLabel('Code à six chiffres').fill(await totpCode(secret));
  await page.getByRole('button', { name: 'Activer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Double authentification activée' })).toBeVisible();
  await expect(page.getByText('ils ne seront plus jamais affichés')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Codes de secours' }).getByRole('listitem')).toHaveCount(10);
  await check('codes de secours');

  await page.getByRole('button', { name: 'J’ai conservé mes codes de secours, continuer' }).click();
  // Enrolled, the minister reaches its workspace: the crises, whose activations it authorizes.
  await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Crises' })).toBeVisible();
});

test('an auditor reads the crises, and neither opens nor closes one', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  const auditor = await createAccount('AUDITOR');
  const title = `Cyberattaque hospitalière ${auditor.id.slice(0, 6)}`;
  await openCrisis(operator, { title, type: 'CYBER_ATTACK', departements: ['2A', '974'], severity: 3 });

  await signIn(page, auditor);
  // Its home is its own workspace: the activations to review.
  await expect(page.getByRole('heading', { level: 1, name: 'Activations à contrôler' })).toBeVisible();
  await check('accueil');

  await page.getByRole('navigation').getByRole('link', { name: 'Crises' }).click();
  await expect(page.getByRole('link', { name: 'Ouvrir une crise' })).toHaveCount(0);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('2A – Corse-du-Sud, 974 – La Réunion')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Clôturer' })).toHaveCount(0);
  await check('page de la crise, en lecture');
});

test('the console says plainly when the service cannot be reached, and shows nothing stale', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  const title = `Accident industriel ${operator.id.slice(0, 6)}`;
  await openCrisis(operator, { title, type: 'INDUSTRIAL_ACCIDENT', departements: ['76'], severity: 4 });
  await signIn(page, operator);
  await expect(page.getByRole('link', { name: title })).toBeVisible();

  // The network fails between the browser and the service.
  await page.route('**/api/v1/crises**', (route) => route.abort('connectionrefused'));
  await page.reload();
  await expect(page.getByRole('alert').first()).toContainText('Le service Renfort est injoignable');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  await check('service injoignable');

  await page.unroute('**/api/v1/crises**');
  await page.getByRole('button', { name: 'Réessayer' }).first().click();
  await expect(page.getByRole('link', { name: title })).toBeVisible();
});

test('an agent signs in with ProConnect, and signs out there too', async ({ console: { page, check, allowOrigin } }) => {
  // ProConnect's own pages are, by design, another site.
  allowOrigin(process.env.RENFORT_OIDC_ISSUER!);
  await createAccount('CRISIS_OPERATOR', PROCONNECT_AGENT.email);

  await page.goto('/connexion');
  await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
  // At the provider: its own sign-in form.
  await expect(page).toHaveURL(new RegExp(`^${process.env.RENFORT_OIDC_ISSUER}/interaction/`));
  await page.getByRole('textbox').fill(PROCONNECT_AGENT.login);
  await page.getByRole('button').click();

  await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(`${PROCONNECT_AGENT.email} (Cellule de crise)`);
  await check('connecté par ProConnect');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.RENFORT_OIDC_ISSUER}/`));
  // The provider asks whether to end its own session too.
  await page.getByRole('button', { name: /yes/i }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await page.goto('/crises');
  await expect(page).toHaveURL(/\/connexion$/);
});
