import type { Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';
import { adminToken, serviceUrl, signIn, signInForToken } from './support/accounts.js';
import { expect, test } from './support/console.js';
import { apiCall, validSiren, vettedMemberWithUser } from './support/mobilization.js';

/**
 * The directorate's workspace: a convention drafted, proposed and countersigned in the console, the
 * member signing it in its own browser, then an amendment and the convention as a PDF document.
 */


async function pdfText(file: string): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(await readFile(file)) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

test('a directorate drafts, proposes and countersigns a convention that the member signs in its own browser context, then amends it and sees the difference, and downloads the PDF', async ({
  console: { page, check },
  browser,
}) => {
  const legalName = `Alpes Levage ${validSiren()}`;
  const member = await vettedMemberWithUser(legalName);
  const memberToken = await signInForToken(member.user.email, member.user.password);
  const admin = await adminToken();
  const category = `T_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  await apiCall(admin, 'POST', '/categories', { code: category, label: 'Grues (essai)' });
  await apiCall(memberToken, 'POST', '/assets', { category, name: 'Grue mobile 60 t', quantity: 1, leadTimeMinutes: 60, coverage: { departements: ['06'] } });
  const directorate = { email: `dgscgc.${randomUUID().slice(0, 8)}@interieur.test`, password: 'un mot de passe assez long' };
  await apiCall(admin, 'POST', '/users', { ...directorate, role: 'DIRECTORATE', directorateCode: 'DGSCGC' });

  // The convention's status, the first badge of its page.
  const status = page.locator('main .fr-badge').first();
  await signIn(page, directorate);
  await expect(page).toHaveURL(/\/conventions$/);
  await expect(page.getByRole('heading', { level: 1, name: /Conventions/ })).toBeVisible();
  await check('conventions de la direction');

  // The guided form: the member, its assets, crises, territory, commitments.
  await page.getByRole('link', { name: 'Rédiger une convention' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rédiger une convention' })).toBeVisible();
  await page.getByLabel('Membre').selectOption({ label: legalName });
  await page.getByText('Grue mobile 60 t', { exact: true }).click();
  await expect(page.getByLabel('Grue mobile 60 t')).toBeChecked();
  await page.getByText('Catastrophe naturelle', { exact: true }).click();
  await page.getByLabel('Départements couverts').selectOption('06');
  await page.getByRole('button', { name: 'Ajouter' }).click();
  await page.getByLabel('Prise en compte sous (minutes)').fill('30');
  await page.getByLabel('Arrivée sur place sous (minutes)').fill('240');
  await check('rédaction');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Convention avec ${legalName} (version 1)` })).toBeVisible();
  await expect(status).toHaveText('Brouillon');
  await expect(page.getByText('Grue mobile 60 t')).toBeVisible();
  // A draft is not yet the member's to sign, nor the directorate's to countersign.
  await expect(page.getByRole('button', { name: 'Contresigner' })).toHaveCount(0);
  await check('brouillon');
  const conventionUrl = page.url();
  await page.getByRole('button', { name: 'Proposer au membre' }).click();
  await expect(status).toHaveText('Proposée, à signer');
  await expect(page.getByRole('button', { name: 'Proposer au membre' })).toHaveCount(0);

  // The member signs in its own browser.
  const memberContext = await browser.newContext({ baseURL: serviceUrl(), locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, member.user);
  await memberPage.goto('/mes-conventions');
  const proposal = memberPage.getByRole('list', { name: 'Conventions' }).getByRole('listitem');
  await expect(proposal).toContainText('Proposée, à signer');
  await proposal.getByRole('button', { name: 'Signer la convention' }).click();
  await expect(proposal).toContainText('Signée, en attente de contreseing');
  await memberContext.close();

  await page.reload();
  await expect(status).toHaveText('Signée, en attente de contreseing');
  await page.getByRole('button', { name: 'Contresigner' }).click();
  await expect(status).toHaveText('En vigueur');
  await expect(page.getByRole('figure', { name: 'Départements couverts' })).toBeVisible();
  await check('convention en vigueur');

  // The convention as a document, through the browser's session.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger la convention (PDF)' }).click();
  const download = await downloading;
  const text = await pdfText(await download.path());
  expect(text).toContain(legalName);
  expect(text).toContain('Grue mobile 60 t');

  // An amendment: a new draft version, and what it changes against the version in force.
  await page.getByRole('button', { name: 'Préparer un avenant' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Modifier la convention' })).toBeVisible();
  await page.getByLabel('Prise en compte sous (minutes)').fill('20');
  await check('avenant');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Convention avec ${legalName} (version 2)` })).toBeVisible();
  const changes = page.getByRole('table', { name: 'Ce que change la version 2 par rapport à la version en vigueur' });
  await expect(changes.getByRole('row', { name: /Prise en compte sous \(min\) 30 20/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Proposer au membre' })).toBeVisible();
  await check('différences de l’avenant');
  expect(page.url()).not.toBe(conventionUrl);

  await page.getByRole('link', { name: 'Échéancier' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Échéancier des conventions' })).toBeVisible();
  await check('échéancier');
  await page.getByRole('link', { name: 'Bilan' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Bilan de la direction/ })).toBeVisible();
  await check('bilan');
});

test('a directorate suspends, resumes, renews and terminates a convention in force, the page and the API agreeing after each click', async ({ console: { page, check } }) => {
  const legalName = `Côte Levage ${validSiren()}`;
  const member = await vettedMemberWithUser(legalName);
  const memberToken = await signInForToken(member.user.email, member.user.password);
  const admin = await adminToken();
  const category = `T_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  await apiCall(admin, 'POST', '/categories', { code: category, label: 'Grues (essai)' });
  const asset = await apiCall<{ id: string }>(memberToken, 'POST', '/assets', { category, name: 'Grue mobile 90 t', quantity: 1, leadTimeMinutes: 60, coverage: { departements: ['83'] } });
  const directorate = { email: `dgscgc.${randomUUID().slice(0, 8)}@interieur.test`, password: 'un mot de passe assez long' };
  await apiCall(admin, 'POST', '/users', { ...directorate, role: 'DIRECTORATE', directorateCode: 'DGSCGC' });
  const directorateToken = await signInForToken(directorate.email, directorate.password);
  // In force: drafted, proposed, signed by the member and countersigned, through the API.
  const { id } = await apiCall<{ id: string }>(directorateToken, 'POST', '/conventions', {
    memberId: member.memberId,
    assetIds: [asset.id],
    crisisTypes: ['NATURAL_DISASTER'],
    scope: { departements: ['83'] },
    ackWithinMinutes: 30,
    deployWithinMinutes: 240,
    startsOn: '2026-01-01',
    endsOn: '2027-01-01',
  });
  await apiCall(directorateToken, 'POST', `/conventions/${id}/propose`, {});
  await apiCall(memberToken, 'POST', `/conventions/${id}/sign`, {});
  await apiCall(directorateToken, 'POST', `/conventions/${id}/countersign`, {});

  interface ConventionState {
    status: string;
    statusReason: string | null;
    allowedActions: string[];
    endsOn: string;
    renewals: number;
  }
  const read = () => apiCall<ConventionState>(directorateToken, 'GET', `/conventions/${id}`);
  /** The directorate's buttons for the API's allowedActions (the member's own, sign and reject, are not its to take). */
  const LABELS: Record<string, string> = {
    propose: 'Proposer au membre', countersign: 'Contresigner', amend: 'Préparer un avenant', renew: 'Renouveler',
    suspend: 'Suspendre', resume: 'Reprendre', terminate: 'Résilier',
  };
  const status = page.locator('main .fr-badge').first();
  const actions = page.getByRole('list', { name: 'Actions sur la convention' }).getByRole('button');
  /** The page shows the status in French and exactly the buttons the API allows; the API says the same status. */
  async function agree(label: string, apiStatus: string, buttons: string[]): Promise<ConventionState> {
    await expect(status).toHaveText(label);
    await expect(actions).toHaveText(buttons);
    const convention = await read();
    expect(convention.status).toBe(apiStatus);
    expect(convention.allowedActions.filter((action) => action in LABELS).map((action) => LABELS[action]).sort()).toEqual([...buttons].sort());
    return convention;
  }

  await signIn(page, directorate);
  await page.goto(`/conventions/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Convention avec ${legalName} (version 1)` })).toBeVisible();
  const inForce = await agree('En vigueur', 'ACTIVE', ['Préparer un avenant', 'Renouveler', 'Suspendre', 'Résilier']);
  expect(inForce).toMatchObject({ endsOn: '2027-01-01', renewals: 0 });
  await check('convention en vigueur, ses actions');

  // Suspended, with its reason.
  await page.getByRole('button', { name: 'Suspendre' }).click();
  await page.getByLabel('Motif de la suspension (facultatif)').fill('Grue immobilisée pour contrôle réglementaire');
  await check('motif de la suspension');
  await page.getByRole('button', { name: 'Confirmer la suspension' }).click();
  const suspended = await agree('Suspendue', 'SUSPENDED', ['Reprendre', 'Résilier']);
  expect(suspended.statusReason).toBe('Grue immobilisée pour contrôle réglementaire');
  await expect(page.getByText('Motif : Grue immobilisée pour contrôle réglementaire')).toBeVisible();
  await check('convention suspendue');

  // Resumed: in force again, its former actions back.
  await page.getByRole('button', { name: 'Reprendre' }).click();
  const resumed = await agree('En vigueur', 'ACTIVE', ['Préparer un avenant', 'Renouveler', 'Suspendre', 'Résilier']);
  expect(resumed.statusReason).toBeNull();
  await expect(page.getByText(/^Motif :/)).toHaveCount(0);

  // Renewed for one more term: still in force, a year later.
  await page.getByRole('button', { name: 'Renouveler' }).click();
  await expect(page.getByText(/renouvellement\(s\)$/)).toHaveText('Sans tacite reconduction, 1 renouvellement(s)');
  const renewed = await agree('En vigueur', 'ACTIVE', ['Préparer un avenant', 'Renouveler', 'Suspendre', 'Résilier']);
  expect(renewed).toMatchObject({ endsOn: '2028-01-01', renewals: 1 });
  await expect(page.getByText(/^Du 01\/01\/2026 au 01\/01\/2028/)).toBeVisible();
  await check('convention renouvelée');

  // Terminated: a reason is required, and asked for in French before anything is sent.
  await page.getByRole('button', { name: 'Résilier' }).click();
  await page.getByRole('button', { name: 'Confirmer la résiliation' }).click();
  await expect(page.getByText('Indiquez le motif de la résiliation : il est obligatoire.')).toBeVisible();
  expect((await read()).status).toBe('ACTIVE');
  await check('motif de la résiliation manquant');
  await page.getByLabel('Motif de la résiliation').fill('Le membre cède son activité de levage');
  await page.getByRole('button', { name: 'Confirmer la résiliation' }).click();
  const terminated = await agree('Résiliée', 'TERMINATED', []);
  expect(terminated.statusReason).toBe('Le membre cède son activité de levage');
  await expect(page.getByText('Motif : Le membre cède son activité de levage')).toBeVisible();
  await check('convention résiliée');
});
