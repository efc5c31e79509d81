import type { Page } from '@playwright/test';
import { type Account, createAccount, serviceUrl, signIn } from './support/accounts.js';
import { expect, test } from './support/console.js';
import { requestToMember, validSiren, vettedMemberWithUser } from './support/mobilization.js';

/**
 * The company's workspace, from a phone, and the administration's: each journey makes its own
 * member, users and requests through the API, then works through the console as people do.
 */


test.describe('from a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a duty officer answers a request from a phone, from acknowledgement to release', async ({ console: { page, check } }) => {
    const member = await vettedMemberWithUser(`Azur Drones ${validSiren()}`);
    const { requestId } = await requestToMember(member, { name: 'Drone thermique', quantity: 3 });

    await signIn(page, member.user);
    // The company's home is its requests, the open ones first.
    await expect(page).toHaveURL(/\/demandes$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Demandes de mobilisation' })).toBeVisible();
    const open = page.getByRole('list', { name: 'Demandes à traiter' }).getByRole('listitem');
    await expect(open).toHaveCount(1);
    // Its acknowledgement deadline, counting down by the second.
    await expect(open).toContainText(/Prise en compte avant .* : dans \d+ min \d+ s/);
    await check('demandes à traiter');

    await open.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/demandes/${requestId}$`));
    await expect(page.getByText('Drone thermique')).toBeVisible();
    await expect(page.getByText('Unités encore disponibles').locator('xpath=following-sibling::dd[1]')).toHaveText('3');
    await check('demande reçue');

    await page.getByRole('button', { name: 'Prendre en compte' }).click();
    await expect(page.getByText('Prise en compte', { exact: true })).toBeVisible();
    // Once acknowledged, the API no longer offers it: nor does the console.
    await expect(page.getByRole('button', { name: 'Prendre en compte' })).toHaveCount(0);

    // More than the asset has left is refused before it reaches the service.
    await page.getByLabel('Nombre d’unités engagées').fill('5');
    await page.getByRole('button', { name: 'Accepter' }).click();
    await expect(page.getByText('Indiquez un nombre d’unités entre 1 et 3.')).toBeVisible();
    await page.getByLabel('Nombre d’unités engagées').fill('2');
    await page.getByRole('button', { name: 'Accepter' }).click();
    await expect(page.getByText('Acceptée', { exact: true })).toBeVisible();
    await expect(page.getByText(/Arrivée sur place avant .* : dans \d+ h \d+ min/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Décliner' })).toHaveCount(0);
    await check('demande acceptée');

    await page.getByRole('button', { name: 'Signaler l’arrivée sur place' }).click();
    await expect(page.getByText('Engagée sur place', { exact: true })).toBeVisible();
    await expect(page.getByText('Arrivée sur place le')).toBeVisible();
    await check('moyen sur place');

    await page.getByRole('button', { name: 'Signaler la libération du moyen' }).click();
    await expect(page.getByText('Libérée', { exact: true })).toBeVisible();
    await expect(page.getByText('Aucune réponse n’est attendue de vous pour cette demande.')).toBeVisible();
    await check('moyen libéré');

    await page.getByRole('link', { name: 'Toutes les demandes' }).click();
    await expect(page.getByRole('list', { name: 'Demandes terminées' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByText('Aucune demande en cours.')).toBeVisible();

    // Its registry and its conventions, from the phone's menu.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Moyens et contacts' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes moyens et contacts' })).toBeVisible();
    const asset = page.getByRole('list', { name: 'Moyens' }).getByRole('listitem').filter({ hasText: 'Drone thermique' });
    // Released, its units are available again.
    await expect(asset).toContainText('3 unités dont 3 disponibles');
    await expect(page.getByRole('button', { name: 'Tout attester' })).toHaveCount(0);
    await check('moyens et contacts');

    // A maintenance window, typed at Paris time, shown at Paris time.
    await asset.getByRole('button', { name: 'Modifier' }).click();
    await asset.getByLabel('Du (Drone thermique)').fill('2026-12-01T08:00');
    await asset.getByLabel('Au (Drone thermique)').fill('2026-12-01T18:00');
    await asset.getByLabel('Motif de l’indisponibilité (Drone thermique)').fill('Révision annuelle');
    await asset.getByRole('button', { name: 'Ajouter la période' }).click();
    await expect(asset.getByRole('list', { name: 'Indisponibilités de Drone thermique' })).toHaveText(
      'Du 1 décembre 2026 à 08:00 au 1 décembre 2026 à 18:00 : Révision annuelle',
    );

    // A contact of the escalation chain, its methods to verify.
    await page.getByLabel('Nom', { exact: true }).fill('Julie Bernard');
    await page.getByLabel('Adresse électronique du contact').fill('julie.bernard@membre.test');
    await page.getByLabel('Téléphone mobile').fill('+33612345678');
    await page.getByLabel('Rang dans l’escalade').fill('1');
    await page.getByRole('button', { name: 'Ajouter le contact' }).click();
    const contact = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Julie Bernard' });
    await expect(contact).toContainText('Courriel : julie.bernard@membre.test');
    await expect(contact.getByText('Non vérifié')).toHaveCount(2);
    await expect(contact.getByRole('button', { name: 'Envoyer un code (Courriel)' })).toBeVisible();
    await check('contact ajouté');

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Conventions' }).click();
    const convention = page.getByRole('list', { name: 'Conventions' }).getByRole('listitem');
    await expect(convention).toContainText('En vigueur');
    await expect(convention).toContainText('Drone thermique');
    // In force, nothing is left for the company to sign.
    await expect(convention.getByRole('button', { name: 'Signer la convention' })).toHaveCount(0);
    await check('conventions');

    // Its own record: the exercise it just answered, apart from real activations.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Bilan' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Notre bilan' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Activations réelles' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Exercices' })).toBeVisible();
    await check('notre bilan');
  });
});

test('an ADMIN registers and vets a member', async ({ console: { page, check } }) => {
  const legalName = `Secours Alpins ${validSiren()}`;
  await signIn(page, await createAccount('ADMIN'));
  await expect(page).toHaveURL(/\/administration\/membres$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Membres de la charte' })).toBeVisible();
  await check('membres');

  await page.getByRole('button', { name: 'Enregistrer un membre' }).click();
  await page.getByLabel('Raison sociale').fill(legalName);
  await page.getByLabel('SIREN').fill(validSiren());
  await page.getByLabel('Date de signature de la charte').fill('2025-06-12');
  await page.getByLabel('Signataire de la charte').fill('Claire Martin, présidente');
  await check('enregistrer un membre');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();

  const item = page.getByRole('list', { name: 'Membres' }).getByRole('listitem').filter({ hasText: legalName });
  await expect(item).toContainText('À vérifier');
  await item.getByRole('button', { name: 'Valider' }).click();
  await item.getByLabel(/Motif/).fill('Pièces vérifiées');
  await item.getByRole('button', { name: 'Confirmer : Valider' }).click();
  await expect(item).toContainText('Actif');
  await expect(item).toContainText('motif : Pièces vérifiées');
  // Vetted, the member may be suspended or withdrawn, not vetted again: the API's own answer.
  await expect(item.getByRole('button', { name: 'Valider' })).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Suspendre' })).toBeVisible();
  await check('membre validé');

  await page.getByRole('navigation').getByRole('link', { name: 'Catégories' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Catégories de moyens' })).toBeVisible();
  await check('catégories');
  await page.getByRole('navigation').getByRole('link', { name: 'Offres spontanées' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Offres spontanées en quarantaine' })).toBeVisible();
  await check('offres spontanées');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Files de traitement' })).toHaveAttribute('href', '/admin/queues');
  // The dashboard opens with the ADMIN's browser session.
  expect((await page.request.get('/admin/queues')).status()).toBe(200);
});

test('an ADMIN disables a user and the user’s open page is signed out', async ({ browser, console: { page, check } }) => {
  const operator: Account = await createAccount('CRISIS_OPERATOR');
  const elsewhere = await browser.newContext({ baseURL: serviceUrl(), locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  try {
    const userPage = await elsewhere.newPage();
    await signIn(userPage, operator);
    await expect(userPage.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();

    await signIn(page, await createAccount('ADMIN'));
    await page.getByRole('navigation').getByRole('link', { name: 'Utilisateurs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Utilisateurs' })).toBeVisible();
    const item = page.getByRole('list', { name: 'Utilisateurs' }).getByRole('listitem').filter({ hasText: operator.email });
    await expect(item).toContainText('Cellule de crise');
    // Its second factor as the service knows it: none yet, so nothing to reset.
    await expect(item).toContainText('Sans double authentification');
    await expect(item.getByRole('button', { name: `Réinitialiser la double authentification de ${operator.email}` })).toHaveCount(0);
    await check('utilisateurs');
    await item.getByRole('button', { name: `Désactiver ${operator.email}` }).click();
    await expect(item).toContainText('Désactivé');
    await expect(item.getByRole('button', { name: `Réactiver ${operator.email}` })).toBeVisible();
    await check('utilisateur désactivé');

    // The person comes back to its tab: the console reads again, the service refuses, it signs out.
    await userPage.evaluate("document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))");
    await expect(userPage).toHaveURL(/\/connexion$/);
    await expect(userPage.getByRole('heading', { level: 1, name: 'Connexion à Renfort' })).toBeVisible();
  } finally {
    await elsewhere.close();
  }
});
