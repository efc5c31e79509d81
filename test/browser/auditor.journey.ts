import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createAccount, signIn, signInForToken } from './support/accounts.js';
import { expect, test } from './support/console.js';
import { apiCall, requestToMember, validSiren, vettedMemberWithUser } from './support/mobilization.js';

/**
 * The auditor's workspace: an activation answered by a member, reviewed from its timeline (a line
 * per request, filtered by member and kind of step, exported as CSV), then the audit log checked.
 */


test('an auditor opens an activation’s timeline, filters it, exports it as CSV and verifies the chain', async ({ console: { page, check } }) => {
  const legalName = `Azur Drones ${validSiren()}`;
  const member = await vettedMemberWithUser(legalName);
  const { requestId } = await requestToMember(member, { name: 'Drone à caméra thermique', quantity: 2 });
  const memberToken = await signInForToken(member.user.email, member.user.password);
  await apiCall(memberToken, 'POST', `/mobilizations/${requestId}/acknowledge`, {});
  await apiCall(memberToken, 'POST', `/mobilizations/${requestId}/accept`, { quantity: 2 });
  const { activationId } = await apiCall<{ activationId: string }>(memberToken, 'GET', `/mobilizations/${requestId}`);
  const auditor = await createAccount('AUDITOR');

  await signIn(page, auditor);
  await expect(page).toHaveURL(/\/controle\/activations$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Activations à contrôler' })).toBeVisible();
  await check('activations à contrôler');

  // Its timeline, opened from the list (the link names the activation's decision for a screen reader).
  await page.locator(`a[href$="/controle/activations/${activationId}/chronologie"]`).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chronologie de l’activation' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Chronologie des demandes/ })).toBeVisible();
  const steps = page.getByRole('table', { name: /Étapes/ });
  await expect(steps.getByRole('row', { name: /Acceptée/ })).toHaveCount(1);
  await expect(steps.getByRole('row', { name: /Prise en compte/ })).toHaveCount(1);
  await expect(steps.getByText(legalName).first()).toBeVisible();
  await check('chronologie');

  // Filtered to one member and one kind of step: only the acceptance is left.
  await page.getByLabel('Membre').selectOption({ label: legalName });
  await page.getByLabel('Type d’étape').selectOption({ label: 'Acceptée' });
  await expect(steps).toHaveAccessibleName('Étapes (1)');
  await expect(steps.getByRole('row', { name: /Acceptée/ })).toHaveCount(1);
  await expect(steps.getByRole('row', { name: /Prise en compte/ })).toHaveCount(0);
  await check('chronologie filtrée');

  // The CSV, from the same route: every step, the member named.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporter la chronologie (CSV)' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  expect(csv).toContain('MobilizationRequestAccepted');
  expect(csv).toContain('MobilizationRequestAcknowledged');
  expect(csv).toContain(legalName);

  // The report of the crisis cell, linked rather than copied.
  await page.getByRole('link', { name: 'Bilan de l’activation' }).click();
  await expect(page).toHaveURL(new RegExp(`/activations/${activationId}/bilan$`));

  // The member's record across activations: committed times against measured ones.
  await page.getByRole('link', { name: 'Bilans' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bilans par membre et par direction' })).toBeVisible();
  await page.getByLabel('Membre').selectOption({ label: legalName });
  await expect(page.getByRole('table', { name: 'Délais par activation' })).toContainText('Crues de la Vésubie');
  await expect(page.getByRole('figure', { name: 'Activations réelles : délais en minutes' })).toBeVisible();
  await check('bilans');

  // The audit log: the chain holds, its checkpoints and key, the export for an offline check.
  await page.getByRole('link', { name: 'Journal d’audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible();
  await expect(page.getByText(/La chaîne est intègre/)).toBeVisible();
  await expect(page.getByText(/npm run audit:verify/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Télécharger le journal' })).toHaveAttribute('href', '/api/v1/audit/export');
  await check('journal d’audit');
});
