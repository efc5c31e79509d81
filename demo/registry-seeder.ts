import { ApiClient, ApiError, inBatches } from './api-client.js';
import {
  CATEGORIES, DEMO_ACK_WITHIN_MINUTES, DEMO_DEPLOY_WITHIN_MINUTES, DEMO_PASSWORD, DIRECTORATE_CRISIS_TYPES, DIRECTORATES, type DirectorateCode,
  directorateContact, directorateOf, directorateUserEmail, MINISTER_EMAIL, OPERATOR_EMAIL, type PlannedContact, type PlannedMember,
} from './fictional-data-set.js';

/**
 * Seeds the demo's registry through the API, as the ADMIN, the directorates and the members
 * would: users, members (vetted), contacts, assets, and ACTIVE conventions with five
 * directorates. Everything is looked up first and only what is missing is made, so a second
 * run reuses the first run's data; a member's webhook is pointed at this run's receiver and
 * its signing secret rotated (a secret is shown only once).
 */

/** Parallel calls while seeding: enough to overlap round trips, few enough for a small machine. */
const CONCURRENCY = 4;

interface MemberRecord {
  id: string;
  legalName: string;
  siren: string;
  status: string;
  webhookUrl: string | null;
  webhookSecret?: string;
}
interface UserRecord {
  email: string;
}
interface ContactRecord {
  id: string;
  email: string;
  escalationOrder: number;
}
interface AssetRecord {
  id: string;
  name: string;
  status: string;
  stale: boolean;
}
interface ConventionRecord {
  id: string;
  directorateCode: string;
  status: string;
  assetIds: string[];
  startsOn: string;
  endsOn: string;
}

export interface SeededMember {
  plan: PlannedMember;
  id: string;
  token: string;
  webhookSecret: string;
  contacts: (PlannedContact & { id: string })[];
}

export interface Tally {
  created: number;
  reused: number;
}

export interface SeedCounts {
  users: Tally;
  members: Tally;
  contacts: Tally;
  assets: Tally & { attested: number };
  conventions: Tally & { amended: number };
}

export interface SeededRegistry {
  adminToken: string;
  operatorToken: string;
  ministerToken: string;
  directorateTokens: Record<DirectorateCode, string>;
  members: SeededMember[];
  counts: SeedCounts;
}

export interface SeedOptions {
  admin: { email: string; password: string };
  members: PlannedMember[];
  /** The webhook URL member `index` is to be reached at. */
  webhookUrlOf: (index: number) => string;
  log: (line: string) => void;
}

const tally = (): Tally => ({ created: 0, reused: 0 });

/** The calendar day in Paris, the day the service judges a convention's period by. */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export async function seedRegistry(api: ApiClient, options: SeedOptions): Promise<SeededRegistry> {
  const counts: SeedCounts = { users: tally(), members: tally(), contacts: tally(), assets: { ...tally(), attested: 0 }, conventions: { ...tally(), amended: 0 } };
  const adminToken = await api.login(options.admin.email, options.admin.password);
  await assertReferenceData(api, adminToken);

  const users = new Set((await api.all<UserRecord>('/api/v1/users', adminToken)).map((user) => user.email.toLowerCase()));
  const ensureUser = async (email: string, role: string, binding: Record<string, string> = {}) => {
    if (users.has(email)) {
      counts.users.reused += 1;
      return;
    }
    try {
      await api.post('/api/v1/users', { email, password: DEMO_PASSWORD, role, ...binding }, adminToken);
      counts.users.created += 1;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      counts.users.reused += 1;
    }
    users.add(email);
  };
  await ensureUser(OPERATOR_EMAIL, 'CRISIS_OPERATOR');
  await ensureUser(MINISTER_EMAIL, 'MINISTER');
  for (const code of DIRECTORATES) await ensureUser(directorateUserEmail(code), 'DIRECTORATE', { directorateCode: code });
  const directorateContactIds = Object.fromEntries(
    await Promise.all(DIRECTORATES.map(async (code) => [code, await ensureDirectorateContact(api, adminToken, code, counts.contacts)] as const)),
  ) as Record<DirectorateCode, string>;

  const existing = new Map((await api.all<MemberRecord>('/api/v1/members', adminToken)).map((member) => [member.siren, member]));
  const registered = await inBatches(options.members, CONCURRENCY, async (plan) => {
    const member = await ensureMember(api, adminToken, plan, existing.get(plan.siren), options.webhookUrlOf(plan.index), counts.members);
    await ensureUser(plan.userEmail, 'MEMBER', { memberId: member.id });
    return { plan, id: member.id, webhookSecret: member.webhookSecret };
  });
  options.log(`  members: ${describe(counts.members)}; users: ${describe(counts.users)}`);

  const signIn = (email: string) => api.login(email, DEMO_PASSWORD);
  const [operatorToken, ministerToken, ...directorateList] = await inBatches([OPERATOR_EMAIL, MINISTER_EMAIL, ...DIRECTORATES.map(directorateUserEmail)], CONCURRENCY, signIn);
  const directorateTokens = Object.fromEntries(DIRECTORATES.map((code, i) => [code, directorateList[i]])) as Record<DirectorateCode, string>;
  const memberTokens = await inBatches(registered, CONCURRENCY, (member) => signIn(member.plan.userEmail));

  const today = parisToday();
  const members = await inBatches(registered, CONCURRENCY, async (member, i): Promise<SeededMember> => {
    const token = memberTokens[i];
    const contacts = await ensureContacts(api, token, member.id, member.plan.contacts, counts.contacts);
    const assetIds = await ensureAssets(api, token, member.id, member.plan, counts.assets);
    const byDirectorate = new Map<DirectorateCode, string[]>();
    member.plan.assets.forEach((asset, j) => {
      const code = directorateOf(asset.category, member.plan.index);
      byDirectorate.set(code, [...(byDirectorate.get(code) ?? []), assetIds[j]]);
    });
    const conventions = await api.all<ConventionRecord>(`/api/v1/conventions?memberId=${member.id}`, token);
    for (const [code, ids] of byDirectorate) {
      await ensureConvention(api, { member: token, directorate: directorateTokens[code] }, counts.conventions, conventions.filter((c) => c.directorateCode === code), {
        memberId: member.id,
        assetIds: ids,
        crisisTypes: DIRECTORATE_CRISIS_TYPES[code],
        scope: { national: true },
        ackWithinMinutes: DEMO_ACK_WITHIN_MINUTES,
        deployWithinMinutes: DEMO_DEPLOY_WITHIN_MINUTES,
        startsOn: today,
        tacitRenewal: true,
        memberContactIds: contacts.map((contact) => contact.id),
        directorateContactId: directorateContactIds[code],
      }, today);
    }
    return { plan: member.plan, id: member.id, token, webhookSecret: member.webhookSecret, contacts };
  });
  options.log(`  contacts: ${describe(counts.contacts)}; assets: ${describe(counts.assets)}${counts.assets.attested ? `, ${counts.assets.attested} attested again` : ''}`);
  const { created, reused, amended } = counts.conventions;
  options.log(`  conventions with ${DIRECTORATES.join(', ')}: ${created + reused + amended} (${created} new${amended ? `, ${amended} amended to cover new assets` : ''})`);
  return { adminToken, operatorToken, ministerToken, directorateTokens, members, counts };
}

function describe(count: Tally): string {
  return `${count.created + count.reused} (${count.created} new)`;
}

async function assertReferenceData(api: ApiClient, token: string): Promise<void> {
  const categories = new Set((await api.get<{ code: string }[]>('/api/v1/categories', token)).map((category) => category.code));
  const directorates = new Set((await api.get<{ code: string }[]>('/api/v1/directorates', token)).map((directorate) => directorate.code));
  const missing = [...CATEGORIES.filter((code) => !categories.has(code)), ...DIRECTORATES.filter((code) => !directorates.has(code))];
  if (missing.length > 0) throw new Error(`The service lacks reference data the demo uses: ${missing.join(', ')}`);
}

async function ensureDirectorateContact(api: ApiClient, adminToken: string, code: DirectorateCode, count: Tally): Promise<string> {
  const planned = directorateContact(code);
  const contacts = await api.get<ContactRecord[]>(`/api/v1/directorates/${code}/contacts`, adminToken);
  const found = contacts.find((contact) => contact.email === planned.email);
  if (found) {
    count.reused += 1;
    return found.id;
  }
  const escalationOrder = Math.max(0, ...contacts.map((contact) => contact.escalationOrder)) + 1;
  count.created += 1;
  return (await api.post<ContactRecord>(`/api/v1/directorates/${code}/contacts`, { ...planned, escalationOrder }, adminToken)).id;
}

/** Registered, vetted, and reachable at this run's webhook with a secret this run knows. */
async function ensureMember(
  api: ApiClient,
  adminToken: string,
  plan: PlannedMember,
  found: MemberRecord | undefined,
  webhookUrl: string,
  count: Tally,
): Promise<MemberRecord & { webhookSecret: string }> {
  let member = found;
  if (member) count.reused += 1;
  else {
    const body = { legalName: plan.legalName, siren: plan.siren, charterSignedAt: plan.charterSignedAt, charterSignatory: plan.charterSignatory, webhookUrl };
    try {
      member = await api.post<MemberRecord>('/api/v1/members', body, adminToken);
      count.created += 1;
    } catch (error) {
      // Registered meanwhile by another run: the SIREN is taken, so it is ours to reuse.
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      member = (await api.all<MemberRecord>('/api/v1/members', adminToken)).find((candidate) => candidate.siren === plan.siren);
      if (!member) throw error;
      count.reused += 1;
    }
  }
  if (member.status === 'WITHDRAWN') throw new Error(`Demo member ${member.legalName} (${member.siren}) was withdrawn: the demo cannot use it`);
  if (member.status === 'PENDING') member = { ...member, ...(await api.post<MemberRecord>(`/api/v1/members/${member.id}/vet`, { reason: 'Démo : charte signée' }, adminToken)) };
  if (member.status === 'SUSPENDED') member = { ...member, ...(await api.post<MemberRecord>(`/api/v1/members/${member.id}/reinstate`, {}, adminToken)) };
  if (member.webhookSecret && member.webhookUrl === webhookUrl) return { ...member, webhookSecret: member.webhookSecret };
  if (member.webhookUrl !== webhookUrl) {
    const updated = await api.patch<MemberRecord>(`/api/v1/members/${member.id}`, { webhookUrl }, adminToken);
    if (updated.webhookSecret) return { ...updated, webhookSecret: updated.webhookSecret };
  }
  const rotated = await api.post<MemberRecord>(`/api/v1/members/${member.id}/webhook-secret/rotate`, {}, adminToken);
  return { ...rotated, webhookSecret: rotated.webhookSecret! };
}

async function ensureContacts(api: ApiClient, token: string, memberId: string, planned: PlannedContact[], count: Tally): Promise<(PlannedContact & { id: string })[]> {
  const contacts = await api.get<ContactRecord[]>(`/api/v1/members/${memberId}/contacts`, token);
  const result: (PlannedContact & { id: string })[] = [];
  for (const contact of planned) {
    // Escalation order is unique per member: whoever holds the order is that level's contact.
    const found = contacts.find((candidate) => candidate.escalationOrder === contact.escalationOrder);
    if (found) {
      count.reused += 1;
      result.push({ ...contact, ...found });
    } else {
      count.created += 1;
      result.push({ ...contact, id: (await api.post<ContactRecord>(`/api/v1/members/${memberId}/contacts`, contact, token)).id });
    }
  }
  return result;
}

/** The ids of the planned assets, in plan order; stale ones are attested again so they stay eligible. */
async function ensureAssets(api: ApiClient, token: string, memberId: string, plan: PlannedMember, count: SeedCounts['assets']): Promise<string[]> {
  const byName = new Map((await api.all<AssetRecord>(`/api/v1/assets?memberId=${memberId}`, token)).map((asset) => [asset.name, asset]));
  const ids: string[] = [];
  for (const asset of plan.assets) {
    const found = byName.get(asset.name);
    if (found) {
      count.reused += 1;
      if (found.stale) {
        await api.post(`/api/v1/assets/${found.id}/attest`, {}, token);
        count.attested += 1;
      }
      ids.push(found.id);
    } else {
      count.created += 1;
      ids.push((await api.post<AssetRecord>('/api/v1/assets', asset, token)).id);
    }
  }
  return ids;
}

/**
 * An ACTIVE convention in its period covering the assets: reused when there is one; otherwise
 * a version under negotiation is taken on, one missing assets is amended, or a new one drafted,
 * then proposed by the directorate, signed by the member and countersigned.
 */
async function ensureConvention(
  api: ApiClient,
  tokens: { member: string; directorate: string },
  count: SeedCounts['conventions'],
  conventions: ConventionRecord[],
  terms: Record<string, unknown> & { assetIds: string[] },
  today: string,
): Promise<void> {
  const covers = (convention: ConventionRecord) => terms.assetIds.every((id) => convention.assetIds.includes(id));
  const inForce = conventions.find((c) => c.status === 'ACTIVE' && c.startsOn <= today && today <= c.endsOn);
  const negotiating = conventions.find((c) => ['DRAFT', 'PROPOSED', 'SIGNED'].includes(c.status));
  if (inForce && covers(inForce) && !negotiating) {
    count.reused += 1;
    return;
  }
  let convention: ConventionRecord;
  if (negotiating) {
    convention = negotiating;
    count.reused += 1;
  } else if (inForce) {
    convention = await api.post<ConventionRecord>(`/api/v1/conventions/${inForce.id}/amend`, {}, tokens.directorate);
    count.amended += 1;
  } else {
    convention = await api.post<ConventionRecord>('/api/v1/conventions', terms, tokens.directorate);
    count.created += 1;
  }
  if (convention.status === 'DRAFT' && !covers(convention)) {
    convention = await api.patch<ConventionRecord>(`/api/v1/conventions/${convention.id}`, { assetIds: terms.assetIds }, tokens.directorate);
  }
  const steps: Record<string, ['propose' | 'sign' | 'countersign', string]> = {
    DRAFT: ['propose', tokens.directorate],
    PROPOSED: ['sign', tokens.member],
    SIGNED: ['countersign', tokens.directorate],
  };
  while (steps[convention.status]) {
    const [action, token] = steps[convention.status];
    convention = await api.post<ConventionRecord>(`/api/v1/conventions/${convention.id}/${action}`, {}, token);
  }
}
