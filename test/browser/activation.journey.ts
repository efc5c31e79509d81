import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { type Account, createAccount, enrolSecondFactor, openCrisis, signIn, signInForToken, totpCode } from './support/accounts.js';
import { answer, charterMembers, journeyCategory, requestOf } from './support/charter.js';
import { expect, test } from './support/console.js';

/**
 * The crisis cell's evening, in Chromium against the compiled service: an operator prepares an
 * activation and reads what it would find, a minister who did not prepare it authorizes it with a
 * second factor, members answer through the API while the board is open, the board follows them
 * by itself (through a dropped connection too), and the activation is closed and reported on.
 */

/** Signs in; with a TOTP secret, with its current code as the second factor. */

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
}

const requirementNeeds = (page: Page) => page.getByRole('region', { name: 'Ce que trouverait le besoin 1' });

test('the crisis cell prepares, authorizes, follows live, closes and reports on an activation', async ({ console: { page, check } }) => {
  test.setTimeout(120_000);
  const suffix = Math.random().toString(36).slice(2, 8);
  const category = await journeyCategory('Drones de reconnaissance');
  const [azur, mistral, riviera, esterel] = await charterMembers(
    [`Azur Drones ${suffix}`, `Mistral Secours ${suffix}`, `Riviera Vigie ${suffix}`, `Esterel Aérien ${suffix}`],
    { category, quantity: 2, departements: ['06'] },
  );
  const operator = await createAccount('CRISIS_OPERATOR');
  const minister = await createAccount('MINISTER');
  // Enrolled with the previous step's code: this step's signs in, the next one's steps up.
  const secret = await enrolSecondFactor(minister, -1);
  const title = `Crues de la Vésubie ${suffix}`;
  const decision = `Décision ministérielle ${suffix}`;

  // The operator opens the crisis.
  await signIn(page, operator);
  await page.getByRole('link', { name: 'Ouvrir une crise' }).click();
  await page.getByLabel('Intitulé').fill(title);
  await page.getByLabel('Type de crise').selectOption({ label: 'Catastrophe naturelle' });
  await page.getByLabel('Département', { exact: true }).selectOption({ label: '06 – Alpes-Maritimes' });
  await page.getByRole('button', { name: 'Ajouter ce département' }).click();
  await page.getByText('4 – grave').click();
  await page.getByRole('button', { name: 'Ouvrir la crise' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  // The map's text alternative names the département touched.
  await expect(page.getByRole('table', { name: 'Départements touchés (tableau)' })).toContainText('06 – Alpes-Maritimes');
  await check('crise et sa carte');

  // It prepares an activation, reading what each requirement would find as it types.
  await page.getByRole('link', { name: 'Préparer une activation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Préparer une activation' })).toBeVisible();
  await page.getByLabel('Référence de la décision').fill(decision);
  await page.getByLabel('Catégorie du besoin 1').selectOption({ label: `Drones de reconnaissance (${category})` });
  await page.getByLabel('Quantité du besoin 1').fill('12');
  await expect(requirementNeeds(page)).toContainText('8 unités mobilisables : 4 moyens de 4 membres');
  await expect(requirementNeeds(page)).toContainText('Ce besoin ne peut pas être couvert : il manque 4 unités sur 12.');
  await page.getByLabel('Quantité du besoin 1').fill('4');
  await expect(requirementNeeds(page)).toContainText('8 unités mobilisables : 4 moyens de 4 membres, pour 4 demandées.');
  await check('préparer une activation');
  await page.getByRole('button', { name: 'Préparer l’activation' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Autorisation de l’activation « ${decision} »`);
  await expect(page.getByText('Autoriser maintenant enverrait 4 demandes de mobilisation.')).toBeVisible();
  // The operator may cancel it while it waits; authorizing is the minister's.
  await expect(page.getByRole('button', { name: 'Annuler l’activation' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Autoriser l’activation' })).toHaveCount(0);
  const activationUrl = page.url();
  const activationId = activationUrl.split('/').pop()!;
  await check('activation en attente, vue de la cellule');
  await signOut(page);

  // A minister, someone else, signs in with its second factor and authorizes.
  await signIn(page, minister, secret);
  const signedInAt = Date.now();
  await page.goto(activationUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Autorisation de l’activation « ${decision} »`);
  await expect(page.getByText(`Vous (${minister.email}) n’êtes pas la personne qui l’a préparée`)).toBeVisible();
  const preview = page.getByRole('table', { name: 'Moyens sollicités pour le besoin 1' });
  for (const member of [azur, mistral, riviera, esterel]) await expect(preview).toContainText(member.name);
  await check('autorisation du ministre');
  await page.getByRole('button', { name: 'Autoriser l’activation' }).click();
  // The service under test trusts a second factor for 5 s (counted in whole seconds): past that, the decision asks for it again.
  await page.waitForTimeout(Math.max(0, signedInAt + 7000 - Date.now()));
  await page.getByRole('button', { name: 'Confirmer l’autorisation' }).click();
  await expect(page.getByText('Cette décision demande un second facteur vérifié récemment')).toBeVisible();
  await page.getByLabel('Code de vérification').fill('000000');
  await page.getByRole('button', { name: 'Vérifier et autoriser' }).click();
  await expect(page.getByText('Ce code n’est pas valide ou a déjà servi.')).toBeVisible();
  await check('second facteur demandé');
  await page.getByLabel('Code de vérification').fill(await totpCode(secret, 1));
  await page.getByRole('button', { name: 'Vérifier et autoriser' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Activation « ${decision} »`);
  await signOut(page);

  // The crisis cell keeps the board open while the members answer.
  await signIn(page, operator);
  await page.goto(activationUrl);
  const link = page.getByRole('status').filter({ hasText: /En direct|Connexion/ });
  await expect(link).toHaveText('En direct');
  const members = page.getByRole('table', { name: 'Membres sollicités, leurs demandes et qui appeler' });
  await expect(members).toContainText(azur.name);
  // Whom to call next, with the phone number, while the first contact has not answered.
  await expect(members).toContainText('Inès Moreau');
  await expect(members).toContainText('+33612345672');

  const azurRequest = await requestOf(azur, activationId);
  await answer(azur, azurRequest, 'acknowledge');
  await answer(azur, azurRequest, 'accept', { quantity: 2 });
  await answer(mistral, await requestOf(mistral, activationId), 'decline', { reasonCode: 'CAPACITY_ENGAGED', comment: 'Équipes déjà engagées dans le Var' });
  // Without reloading: the stream brings the answers.
  await expect(page.getByRole('progressbar', { name: 'Besoin 1 : 2 unité(s) acceptée(s) sur 4' })).toBeVisible();
  const feed = page.getByRole('list', { name: 'Fil des événements' });
  await expect(feed).toContainText(`${azur.name} : acceptation (2 unités)`);
  await expect(page.getByRole('table', { name: 'Refus et leurs motifs' })).toContainText('Capacité déjà engagée');
  await expect(link).toHaveText('En direct');

  // The network drops: the board says so, and is never shown as live meanwhile.
  await page.context().setOffline(true);
  await expect(link).toContainText('Connexion perdue, reconnexion…');
  const rivieraRequest = await requestOf(riviera, activationId);
  await answer(riviera, rivieraRequest, 'accept', { quantity: 2 });
  await expect(link).toContainText('Connexion perdue, reconnexion…');
  await check('connexion perdue');

  // Back online: it reconnects, catches up with what it missed, and only then is live again.
  await page.context().setOffline(false);
  await expect(link).toHaveText('En direct', { timeout: 20_000 });
  await expect(feed).toContainText(`${riviera.name} : acceptation (2 unités)`);
  await expect(page.getByRole('progressbar', { name: 'Besoin 1 : 4 unité(s) acceptée(s) sur 4' })).toBeVisible();
  // The requirement met, the member still asked is stood down.
  await expect(page.getByRole('table', { name: 'Demandes désengagées et leur motif' })).toContainText(esterel.name);
  await expect(page.getByText('Besoins couverts')).toBeVisible();
  await answer(azur, azurRequest, 'deploy');
  await expect(feed).toContainText(`${azur.name} : arrivée sur place`);
  await expect(page.getByRole('table', { name: 'Unités acceptées, par département du besoin (tableau)' })).toContainText('06 – Alpes-Maritimes');
  await check('tableau de bord en direct');
  // The board as the README shows it.
  mkdirSync(path.resolve('docs', 'images'), { recursive: true });
  await page.screenshot({ path: path.resolve('docs', 'images', 'tableau-de-bord.png'), fullPage: true });

  // Fulfilled: it can be closed, no longer cancelled.
  await expect(page.getByRole('button', { name: 'Annuler l’activation' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clôturer l’activation' }).click();
  await page.getByLabel('Motif (facultatif)').fill('Décrue constatée');
  await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
  await expect(page.getByText('Clôturée', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Clôturer l’activation' })).toHaveCount(0);

  // The after-action report, its charts and its downloads.
  await page.getByRole('link', { name: 'Bilan de l’activation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bilan de l’activation');
  await expect(page.getByRole('table', { name: 'Délais de réponse (médiane et 90e centile) (tableau)' })).toContainText('Acceptation');
  await expect(page.getByRole('table', { name: /^Par membre/ })).toContainText(azur.name);
  await expect(page.getByRole('table', { name: 'Messages EDXL-RM 1.0 du fil' })).toContainText('RequestResource');
  await check('bilan de l’activation');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le bilan par membre (CSV)' }).click();
  expect((await download).suggestedFilename()).toBe(`activation-${activationId}-report.csv`);
});

test('an operator cancels an activation that awaits its authorization', async ({ console: { page, check } }) => {
  const operator = await createAccount('CRISIS_OPERATOR');
  const suffix = operator.id.slice(0, 6);
  const crisis = await openCrisis(operator, { title: `Tempête ${suffix}`, type: 'NATURAL_DISASTER', departements: ['83', '974'], severity: 3 });
  const token = await signInForToken(operator.email, operator.password);
  const prepared = await fetch(`${process.env.RENFORT_CONSOLE_URL}/api/v1/crises/${crisis.id}/activations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decisionReference: `Décision ${suffix}`, requirements: [{ category: await journeyCategory('Groupes électrogènes'), quantity: 2 }] }),
  });
  expect(prepared.status).toBe(201);

  await signIn(page, operator);
  await page.goto(`/crises/${crisis.id}`);
  await expect(page.getByRole('table', { name: 'Départements touchés (tableau)' })).toContainText('974 – La Réunion');
  await page.getByRole('link', { name: `Décision ${suffix}` }).click();
  // Nothing is eligible in the category: the dry run says the requirement cannot be met.
  await expect(page.getByText('Ce besoin ne peut pas être couvert : il manque 2 unité(s).')).toBeVisible();
  await page.getByRole('button', { name: 'Annuler l’activation' }).click();
  await page.getByLabel('Motif (facultatif)').fill('Moyens locaux suffisants');
  await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
  // Cancelled, it has a board and a report, and nothing more to end.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Activation « Décision ${suffix} »`);
  await expect(page.getByText('Annulée', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /Annuler l’activation|Clôturer l’activation/ })).toHaveCount(0);
  await check('activation annulée');
});
