import { randomUUID } from 'node:crypto';
import { validSiren } from '../../support/siren.js';
import { adminToken, serviceUrl, signInForToken } from './accounts.js';

/**
 * The charter's side of a crisis evening, through the API as the people outside the crisis cell
 * would do it: members with their contacts and assets, covered by conventions a directorate
 * signed with them, and their answers to the requests they receive.
 */

async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${serviceUrl()}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}


const PASSWORD = 'un mot de passe assez long';

async function userToken(admin: string, role: string, binding: Record<string, string>): Promise<string> {
  const email = `${role.toLowerCase()}.${randomUUID().slice(0, 8)}@charte.test`;
  await call(admin, 'POST', '/users', { email, password: PASSWORD, role, ...binding });
  return signInForToken(email, PASSWORD);
}

export interface CharterMember {
  id: string;
  name: string;
  token: string;
}

/** A category of the journey's own, so that no other journey's assets are ever eligible in it. */
export async function journeyCategory(label: string): Promise<string> {
  const admin = await adminToken();
  const code = `J_${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  await call(admin, 'POST', '/categories', { code, label });
  return code;
}

/**
 * Vetted members, each with two contacts and one asset of `quantity` units in the category and
 * départements, under an ACTIVE convention with the DGSCGC.
 */
export async function charterMembers(
  names: string[],
  options: { category: string; quantity: number; departements: string[]; crisisTypes?: string[] },
): Promise<CharterMember[]> {
  const admin = await adminToken();
  const directorate = await userToken(admin, 'DIRECTORATE', { directorateCode: 'DGSCGC' });
  const members: CharterMember[] = [];
  for (const name of names) {
    const created = await call<{ id: string }>(admin, 'POST', '/members', { legalName: name, siren: validSiren(), charterSignedAt: '2017-03-21', charterSignatory: 'Claire Martin' });
    await call(admin, 'POST', `/members/${created.id}/vet`, {});
    const token = await userToken(admin, 'MEMBER', { memberId: created.id });
    const contactIds: string[] = [];
    for (const [order, contact] of [
      [1, 'Julien Lefèvre'],
      [2, 'Inès Moreau'],
    ] as const) {
      const added = await call<{ id: string }>(token, 'POST', `/members/${created.id}/contacts`, {
        name: `${contact}`,
        role: 'DUTY_OFFICER',
        phone: `+3361234567${order}`,
        email: `astreinte${order}@membre.test`,
        escalationOrder: order,
        available24x7: true,
      });
      contactIds.push(added.id);
    }
    const asset = await call<{ id: string }>(token, 'POST', '/assets', {
      category: options.category,
      name: `Moyen de ${name}`,
      quantity: options.quantity,
      leadTimeMinutes: 60,
      coverage: { departements: options.departements },
    });
    const convention = await call<{ id: string }>(directorate, 'POST', '/conventions', {
      memberId: created.id,
      assetIds: [asset.id],
      crisisTypes: options.crisisTypes ?? ['NATURAL_DISASTER'],
      scope: { departements: options.departements },
      ackWithinMinutes: 30,
      deployWithinMinutes: 240,
      startsOn: '2026-01-01',
      memberContactIds: contactIds,
    });
    await call(directorate, 'POST', `/conventions/${convention.id}/propose`, {});
    await call(token, 'POST', `/conventions/${convention.id}/sign`, {});
    await call(directorate, 'POST', `/conventions/${convention.id}/countersign`, {});
    members.push({ id: created.id, name, token });
  }
  return members;
}

/** The member's request in the activation, once the fan-out made it. */
export async function requestOf(member: CharterMember, activationId: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const page = await call<{ items: { id: string }[] }>(member.token, 'GET', `/mobilizations?activationId=${activationId}&pageSize=10`);
    if (page.items.length > 0) return page.items[0].id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No request for ${member.name} in activation ${activationId}`);
}

/** The member answers its request: acknowledge, accept (units), decline (reason), deploy. */
export function answer(member: CharterMember, requestId: string, action: 'acknowledge' | 'accept' | 'decline' | 'deploy', body: Record<string, unknown> = {}) {
  return call(member.token, 'POST', `/mobilizations/${requestId}/${action}`, body);
}
