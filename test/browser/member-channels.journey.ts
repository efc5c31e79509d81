import { randomUUID } from 'node:crypto';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { signIn, signInForToken } from './support/accounts.js';
import { expect, test } from './support/console.js';
import { verificationCode, waitForMail } from './support/mailbox.js';
import { apiCall, requestToMember, validSiren, vettedMemberWithUser } from './support/mobilization.js';

/**
 * How the company is reached: a contact's email proven with the code it received (the service
 * sends it through a real SMTP server, see support/mailbox.ts), and the company's webhook, whose
 * latest deliveries its duty officer reads in the console.
 */

test('a duty officer verifies a contact’s email with the code it received, after mistyping it', async ({ console: { page, check } }) => {
  const member = await vettedMemberWithUser(`Rhône Logistique ${validSiren()}`);
  const email = `lea.moreau.${randomUUID().slice(0, 8)}@membre.test`;
  await signIn(page, member.user);
  await page.goto('/mes-moyens');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes moyens et contacts' })).toBeVisible();

  await page.getByLabel('Nom', { exact: true }).fill('Léa Moreau');
  await page.getByLabel('Adresse électronique du contact').fill(email);
  await page.getByLabel('Téléphone mobile').fill('+33698765432');
  await page.getByLabel('Rang dans l’escalade').fill('1');
  await page.getByRole('button', { name: 'Ajouter le contact' }).click();
  const contact = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Léa Moreau' });
  await expect(contact).toContainText(`Courriel : ${email} Non vérifié`);

  const askedAt = Date.now();
  await contact.getByRole('button', { name: 'Envoyer un code (Courriel)' }).click();
  await expect(contact.getByText(`Code envoyé par courriel à ${email}.`)).toBeVisible();
  const codeField = contact.getByLabel('Code reçu (Courriel, Léa Moreau)');
  await expect(codeField).toBeVisible();
  const mail = await waitForMail(email, { since: askedAt, subject: /code de vérification/ });
  expect(mail.text).toContain('Bonjour Léa Moreau,');
  const code = verificationCode(mail);
  await check('code de vérification envoyé');

  // A wrong code: said plainly, in French, and the method stays unverified.
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await codeField.fill(wrong);
  await contact.getByRole('button', { name: 'Confirmer le code' }).click();
  await expect(contact.getByText(/Ce code ne correspond pas à celui envoyé/)).toBeVisible();
  await expect(contact).toContainText(`Courriel : ${email} Non vérifié`);
  await check('code erroné');

  await codeField.fill(code);
  await contact.getByRole('button', { name: 'Confirmer le code' }).click();
  await expect(contact.getByText('Courriel vérifié.')).toBeVisible();
  await expect(contact).toContainText(`Courriel : ${email} Vérifié`);
  await expect(contact.getByText(/Ce code ne correspond pas/)).toHaveCount(0);
  await expect(contact.getByRole('button', { name: 'Envoyer un code (Courriel)' })).toHaveCount(0);
  await expect(contact.getByRole('button', { name: 'Envoyer une alerte de test (Courriel)' })).toBeVisible();
  // The phone was not verified: it still asks for its code.
  await expect(contact).toContainText('SMS : +33698765432 Non vérifié');
  await check('courriel vérifié');

  // The service agrees.
  const token = await signInForToken(member.user.email, member.user.password);
  const contacts = await apiCall<{ name: string; methods: { email: { verified: boolean }; sms: { verified: boolean } } }[]>(token, 'GET', `/members/${member.memberId}/contacts`);
  expect(contacts.find((one) => one.name === 'Léa Moreau')?.methods).toMatchObject({ email: { verified: true }, sms: { verified: false } });
});

test('a duty officer reads its webhook’s latest deliveries: a failed attempt, then the retry delivered', async ({ console: { page, check } }) => {
  const receiver = await WebhookReceiver.start();
  try {
    const member = await vettedMemberWithUser(`Provence Secours ${validSiren()}`);
    const token = await signInForToken(member.user.email, member.user.password);
    const { version } = await apiCall<{ version: number }>(token, 'GET', `/members/${member.memberId}`);
    await apiCall(token, 'PATCH', `/members/${member.memberId}`, { webhookUrl: receiver.url('alertes'), version });
    // The endpoint's first answer is an error: the service tries again.
    receiver.failNext('alertes', 1);
    await requestToMember(member, { name: 'Groupe électrogène', quantity: 1 });
    await expect.poll(() => receiver.to('alertes').length, { timeout: 15_000 }).toBe(2);

    await signIn(page, member.user);
    await page.goto('/mes-moyens');
    const deliveries = page.getByRole('region', { name: 'Dernières livraisons' });
    const rows = deliveries.getByRole('table').getByRole('row');
    // The header, then the newest first: the retry delivered, then the failed attempt.
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText('Demande de mobilisation');
    await expect(rows.nth(1)).toContainText('Livré HTTP 204');
    await expect(rows.nth(1)).toContainText('n° 2');
    await expect(rows.nth(2)).toContainText('Échec HTTP 500');
    await expect(rows.nth(2)).toContainText('n° 1');
    await expect(rows.nth(1)).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    await expect(rows.nth(1)).toContainText(/\d+ ms/);
    await check('dernières livraisons du webhook');

    await deliveries.getByText('Échecs seulement').click();
    await expect(deliveries.getByLabel('Échecs seulement')).toBeChecked();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('Échec HTTP 500');
    await check('livraisons en échec');
  } finally {
    await receiver.close();
  }
});
