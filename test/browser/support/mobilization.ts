import { randomUUID } from 'node:crypto';
import { validSiren } from '../../support/siren.js';
import { type Account, adminToken, createAccount, enrolSecondFactor, serviceUrl, signInForToken, totpCode } from './accounts.js';

/** A call to the API of the service under test, as another system (or another person) makes it. */
export async function apiCall<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${serviceUrl()}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export { validSiren };

/** A member registered and vetted by the ADMIN, and a MEMBER user of it. */
export async function vettedMemberWithUser(legalName: string): Promise<{ memberId: string; user: Account }> {
  const admin = await adminToken();
  const member = await apiCall<{ id: string }>(admin, 'POST', '/members', { legalName, siren: validSiren(), charterSignedAt: '2024-05-02', charterSignatory: 'Claire Martin, présidente' });
  await apiCall(admin, 'POST', `/members/${member.id}/vet`, {});
  const email = `astreinte.${randomUUID().slice(0, 8)}@membre.test`;
  const password = 'un mot de passe assez long';
  const user = await apiCall<{ id: string }>(admin, 'POST', '/users', { email, password, role: 'MEMBER', memberId: member.id });
  return { memberId: member.id, user: { id: user.id, email, password, role: 'MEMBER' } };
}

/**
 * What comes before a request reaches a company: its asset (in a category of its own, so that no
 * other journey's asset is eligible), an ACTIVE convention with the directorate, an open crisis, an
 * activation prepared by the crisis cell and authorized by a minister (with its second factor).
 * Answers the request made to the company.
 */
export async function requestToMember(member: { memberId: string; user: Account }, asset: { name: string; quantity: number }): Promise<{ requestId: string; assetId: string }> {
  const admin = await adminToken();
  const category = `T_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  await apiCall(admin, 'POST', '/categories', { code: category, label: 'Drones (essai)' });
  const memberToken = await signInForToken(member.user.email, member.user.password);
  const declared = await apiCall<{ id: string }>(memberToken, 'POST', '/assets', {
    category,
    name: asset.name,
    quantity: asset.quantity,
    leadTimeMinutes: 60,
    coverage: { departements: ['06'] },
  });
  const directorateToken = await directorateAccount();
  const convention = await apiCall<{ id: string }>(directorateToken, 'POST', '/conventions', {
    memberId: member.memberId,
    assetIds: [declared.id],
    crisisTypes: ['NATURAL_DISASTER'],
    scope: { departements: ['06'] },
    ackWithinMinutes: 30,
    deployWithinMinutes: 240,
    startsOn: '2026-01-01',
  });
  await apiCall(directorateToken, 'POST', `/conventions/${convention.id}/propose`, {});
  await apiCall(memberToken, 'POST', `/conventions/${convention.id}/sign`, {});
  await apiCall(directorateToken, 'POST', `/conventions/${convention.id}/countersign`, {});

  const operator = await signInForToken(...credentials(await createAccount('CRISIS_OPERATOR')));
  const crisis = await apiCall<{ id: string }>(operator, 'POST', '/crises', { title: 'Crues de la Vésubie', type: 'NATURAL_DISASTER', departements: ['06'], severity: 4 });
  const activation = await apiCall<{ id: string }>(operator, 'POST', `/crises/${crisis.id}/activations`, {
    decisionReference: `DM-${randomUUID().slice(0, 6)}`,
    requirements: [{ category, quantity: 2 }],
  });
  const minister = await createAccount('MINISTER');
  const secret = await enrolSecondFactor(minister);
  const ministerToken = await signInForToken(minister.email, minister.password, await totpCode(secret, 1));
  await apiCall(ministerToken, 'POST', `/activations/${activation.id}/authorize`, {});
  const requests = await apiCall<{ items: { id: string }[] }>(memberToken, 'GET', `/mobilizations?activationId=${activation.id}`);
  if (requests.items.length !== 1) throw new Error(`Expected one request to the member, found ${requests.items.length}`);
  return { requestId: requests.items[0].id, assetId: declared.id };
}

function credentials(account: Account): [string, string] {
  return [account.email, account.password];
}

/** A DIRECTORATE user of the DGSCGC, created by the ADMIN. */
async function directorateAccount(): Promise<string> {
  const admin = await adminToken();
  const email = `dgscgc.${randomUUID().slice(0, 8)}@interieur.test`;
  const password = 'un mot de passe assez long';
  await apiCall(admin, 'POST', '/users', { email, password, role: 'DIRECTORATE', directorateCode: 'DGSCGC' });
  return signInForToken(email, password);
}
