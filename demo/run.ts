import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActivationReport } from '../src/reporting/queries/activation-report.js';
import { ApiClient, ApiError, inBatches } from './api-client.js';
import { type Category, DEMO_ACK_WITHIN_MINUTES, plannedDataSet, randomSequence } from './fictional-data-set.js';
import { MemberResponders, type Profile, type ResponderStats } from './member-responders.js';
import { PeopleChannels, type PeopleStats } from './people-channels.js';
import { type ActivationProgress, progressDisplay } from './progress-display.js';
import { type SeedCounts, type SeededMember, type SeededRegistry, seedRegistry } from './registry-seeder.js';
import { renderReport } from './report-printer.js';

/**
 * `npm run demo`: against a running Renfort, seeds a fictional registry, opens an exercise
 * crisis (floods in the Alpes-Maritimes and the Var), has an operator prepare an activation
 * and a minister authorize it, plays the members' answers from a local webhook receiver,
 * shows the progress live, then ends the exercise and prints the after-action report.
 * It only talks HTTP to the service, as its users would.
 */

export interface DemoOptions {
  /** Default: DEMO_BASE_URL, else http://localhost:3000. */
  baseUrl?: string;
  /** Default: ADMIN_EMAIL and ADMIN_PASSWORD, else the service's development defaults. */
  admin?: { email: string; password: string };
  /** Member companies (default 40) and assets shared among them (default 400). */
  members?: number;
  assets?: number;
  /** Multiplies the simulated members' delays (default 1; a test runs at a small fraction). */
  delayScale?: number;
  /** Where the live display and the report go (default process.stdout). */
  output?: NodeJS.WritableStream;
  /** Where the report's CSV is saved (default ./.renfort/demo). */
  outputDir?: string;
  /** Seed of the members' choices (default DEMO_SEED, else random). */
  seed?: number;
  /** Longest wait for the members' answers before the exercise is ended anyway. */
  timeoutMs?: number;
  /** Without a terminal, how often a progress line is printed (default 5 s). */
  progressIntervalMs?: number;
  /** The mail server and SMS centre the service sends to; default: the demo starts its own on ports 2525 and 2775. */
  people?: PeopleChannels;
}

/** Whom the alerts reached, and how the people alerted answered (absent when the service has no channel to people). */
export interface PeopleOutcome extends PeopleStats {
  reach: { membersAlerted: number; membersReached: number; peopleAlerted: number; peopleReached: number; messages: Record<string, Record<string, number>> };
}

export interface DemoResult {
  crisisId: string;
  activationId: string;
  /** The JSON of GET /activations/:id/report, fetched once the exercise ended. */
  report: ActivationReport;
  /** The exact text printed for the report. */
  printedReport: string;
  csvPath: string;
  seeding: SeedCounts;
  responders: ResponderStats;
  /** Requests to members this run does not play (a registry shared with other data), stood down at the end. */
  outsideRequests: number;
  timedOut: boolean;
  people: PeopleOutcome | null;
}

/** Every demo crisis starts with this title: a later run recognizes an interrupted one by it. */
export const DEMO_CRISIS_TITLE = 'Exercice : crues dans les Alpes-Maritimes et le Var (démo Renfort)';
const CRISIS_AREA = ['06', '83'];
/** What the crisis cell asks for, as a share of what is eligible: some requirements are met early, some late, some not at all. */
const REQUIREMENT_SHARES: [Category, number][] = [['DRONE', 0.6], ['SECURE_TELECOM', 0.75], ['URBAN_SECURITY', 0.3], ['OTHER_EXPERTISE', 0.5]];
const SILENT_SHARE = 0.125;
const SLOW_SHARE = 0.15;
const REFRESH_MS = 500;
const LIVE_ACTIVATION = ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const baseUrl = (options.baseUrl ?? process.env.DEMO_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const admin = options.admin ?? {
    email: process.env.ADMIN_EMAIL ?? 'admin@renfort.local',
    // The service's development default (config/app-config.ts).
    password: process.env.ADMIN_PASSWORD ?? 'renfort-admin-dev-password',
  };
  const delayScale = options.delayScale ?? 1;
  const output = options.output ?? process.stdout;
  const seed = options.seed ?? (process.env.DEMO_SEED ? Number(process.env.DEMO_SEED) : Math.floor(Math.random() * 2 ** 31));
  const timeoutMs = options.timeoutMs ?? Math.max(60_000, 300_000 * delayScale);
  const say = (line = '') => output.write(`${line}\n`);
  const random = randomSequence(seed);
  const api = new ApiClient(baseUrl);
  const clock = stopwatch();

  try {
    await api.get('/health');
  } catch (error) {
    if (error instanceof ApiError) throw new Error(`Renfort at ${baseUrl} is not healthy (GET /health answered ${error.status}): ${error.body}`);
    throw error;
  }
  say(`Renfort demo against ${baseUrl} (simulated members seeded with ${seed}: DEMO_SEED=${seed} picks the same silent and slow ones again)`);

  const responders = await MemberResponders.start();
  const ownPeople = options.people ? null : await PeopleChannels.start().catch(() => null);
  const people = options.people ?? ownPeople;
  let registry: SeededRegistry | null = null;
  try {
    const plan = plannedDataSet(options.members ?? 40, options.assets ?? 400);
    say(`Seeding the registry: ${plan.length} members, ${plan.reduce((sum, member) => sum + member.assets.length, 0)} assets, reusing what an earlier run made`);
    registry = await seedRegistry(api, { admin, members: plan, webhookUrlOf: (index) => responders.url(index), log: say });
    const seeded = registry;
    const demoMembers = new Map(seeded.members.map((member) => [member.id, member]));
    say(`  done in ${clock.lap()} s`);

    const tidied = await tidyEarlierRuns(api, seeded, demoMembers);
    if (tidied > 0) say(`Closed ${tidied} demo crisis left open by an interrupted run`);

    const stamp = new Date();
    const crisis = await api.post<{ id: string; title: string }>('/api/v1/crises', {
      title: `${DEMO_CRISIS_TITLE}, ${localStamp(stamp, ' ')}`,
      type: 'NATURAL_DISASTER',
      departements: CRISIS_AREA,
      severity: 4,
      exercise: true,
    }, seeded.operatorToken);
    say(`\nCrisis cell activated (T0): ${crisis.title}`);

    const requirements = await planRequirements(api, seeded.operatorToken, stamp);
    const activation = await api.post<{ id: string }>(`/api/v1/crises/${crisis.id}/activations`, {
      decisionReference: `EXERCICE/DM-${localStamp(stamp, '-')}`,
      requirements,
    }, seeded.operatorToken);
    say(`Operator prepared activation ${activation.id}: ${requirements.map((r) => `${r.quantity} ${r.category}`).join(', ')}`);

    const preview = await api.get<{ assetCount: number; requirements: { members: { memberId: string }[] }[] }>(
      `/api/v1/activations/${activation.id}/preview`, seeded.ministerToken,
    );
    const asked = [...new Set(preview.requirements.flatMap((requirement) => requirement.members.map((member) => member.memberId)))];
    say(`Minister's preview: ${preview.assetCount} eligible assets from ${asked.length} members`);

    const display = progressDisplay(output, options.progressIntervalMs ?? 5000);
    const played = asked.filter((id) => demoMembers.has(id));
    const profiles = assignProfiles(played, random);
    responders.enlist(
      seeded.members.map((member) => ({
        index: member.plan.index, id: member.id, name: member.plan.legalName, token: member.token, webhookSecret: member.webhookSecret,
        profile: profiles.get(member.id) ?? 'prompt',
      })),
      activation.id,
      { api, delayScale, ackWithinMinutes: DEMO_ACK_WITHIN_MINUTES, random, onEvent: (line) => display.log(`  ${line}`) },
    );
    const silent = seeded.members.filter((member) => profiles.get(member.id) === 'silent').map((member) => member.plan.legalName);
    say(`Simulated members: ${played.length - silent.length} answer within the minute; ${silent.length} will not (${silent.join(', ') || 'none'})`);

    // People, not only applications: the slow members' duty officers answer the alert from the
    // message before their application does, and the silent members' next contacts answer the
    // alert of the escalation. Their email and phone are proven first, with the codes sent.
    const slowMembers = seeded.members.filter((member) => profiles.get(member.id) === 'slow');
    const silentMembers = seeded.members.filter((member) => profiles.get(member.id) === 'silent');
    const alerting = people ? await people.verifyContacts(api, [...slowMembers, ...silentMembers]) : false;
    if (alerting && people) {
      say(`Alerts to people: the contacts of ${slowMembers.length + silentMembers.length} members verified (${people.stats.verified} people, email and SMS); ` +
        `the slow members' duty officers answer from the alert, the silent members' next contacts from the escalation's alert`);
      const log = (line: string) => display.log(`  ${line}`);
      people.play(api, slowMembers, 0, log);
      people.play(api, silentMembers, 1, log);
    } else {
      say('Alerts to people: not shown, the service has no email or SMS channel (start it with SMTP_URL=smtp://127.0.0.1:2525, SMTP_FROM, ' +
        'SMPP_URL=smpp://127.0.0.1:2775, SMPP_SYSTEM_ID=renfort-demo, SMPP_PASSWORD=demo2026, SMPP_SOURCE_ADDRESS=Renfort)');
    }

    const authorized = await api.post<{ requestCount: number }>(`/api/v1/activations/${activation.id}/authorize`, {}, seeded.ministerToken);
    const authorizedAt = Date.now();
    say(`Minister authorized it (four eyes): ${authorized.requestCount} mobilization requests fanned out\n`);

    const requests = await api.all<{ id: string; memberId: string }>(`/api/v1/mobilizations?activationId=${activation.id}`, seeded.operatorToken);
    const expected = requests.filter((request) => demoMembers.has(request.memberId)).map((request) => request.id);
    const outsideRequests = requests.length - expected.length;
    if (outsideRequests > 0) say(`  ${outsideRequests} requests went to members this run does not play: they will be stood down when the exercise ends`);

    const met = new Set<string>();
    let progress: ActivationProgress;
    let timedOut = false;
    for (;;) {
      progress = await api.get<ActivationProgress>(`/api/v1/activations/${activation.id}`, seeded.operatorToken);
      const elapsed = (Date.now() - authorizedAt) / 1000;
      for (const requirement of progress.requirements) {
        if (!requirement.metAt || met.has(requirement.category)) continue;
        met.add(requirement.category);
        display.log(`  requirement met: ${requirement.acceptedQuantity}/${requirement.quantity} ${requirement.category} at +${elapsed.toFixed(0)} s, its other open requests stood down`);
      }
      // The alerts of the first step reach people within seconds: the exercise waits for their answers (a while at most).
      const peopleDone = !alerting || people!.answeredFor(slowMembers.map((member) => member.id)) || Date.now() - authorizedAt > Math.max(5000, 30_000 * delayScale);
      if (responders.settled(expected) && peopleDone) break;
      if (Date.now() - authorizedAt > timeoutMs) {
        timedOut = true;
        display.log(`  not every request was answered within ${Math.round(timeoutMs / 1000)} s: the exercise is ended anyway`);
        break;
      }
      display.update(progress, elapsed);
      await sleep(REFRESH_MS);
    }
    display.finish(progress, (Date.now() - authorizedAt) / 1000);
    responders.stopAnswering();
    people?.stop();
    let peopleOutcome: PeopleOutcome | null = null;
    if (alerting && people) {
      const { reach } = await api.get<{ reach: PeopleOutcome['reach'] }>(`/api/v1/activations/${activation.id}`, seeded.operatorToken);
      peopleOutcome = { ...people.stats, reach };
      const messages = Object.entries(reach.messages).map(([channel, statuses]) =>
        `${channel === 'sms' ? 'SMS' : channel}: ${Object.entries(statuses).map(([status, count]) => `${count} ${status}`).join(', ')}`).join('; ');
      say(`\nAlerts to people: ${reach.membersReached} of ${reach.membersAlerted} members alerted were reached by at least one person ` +
        `(${reach.peopleReached} of ${reach.peopleAlerted} people; ${messages || 'no message'})`);
      say(`  answered from the message: ${people.stats.answeredByLink} by the email's link, ${people.stats.answeredBySms} by SMS code; ` +
        `${people.stats.alreadyAnswered} found their requests answered already by the member's application`);
    }

    say(`\nEnd of the exercise after ${((Date.now() - authorizedAt) / 1000).toFixed(0)} s: releasing what is deployed, closing the activation and the crisis`);
    await releaseDeployed(api, seeded, activation.id, demoMembers);
    await endActivation(api, seeded.operatorToken, activation.id);
    await api.post(`/api/v1/crises/${crisis.id}/close`, {}, seeded.operatorToken);
    if (responders.stats.problems.length > 0) say(`  ${responders.stats.problems.length} answers went wrong:\n${responders.stats.problems.map((problem) => `    ${problem}`).join('\n')}`);
    const stats = responders.stats;
    say(`  webhooks: ${stats.deliveries} deliveries, ${stats.badSignatures === 0 ? 'every signature valid' : `${stats.badSignatures} with a bad signature`}, ` +
      `${stats.escalationNotices} escalation and ${stats.standDownNotices} stand-down notices`);

    const report = await api.get<ActivationReport>(`/api/v1/activations/${activation.id}/report`, seeded.operatorToken);
    const csv = await api.text(`/api/v1/activations/${activation.id}/report?format=csv`, seeded.operatorToken);
    const directory = path.resolve(options.outputDir ?? path.join('.renfort', 'demo'));
    await mkdir(directory, { recursive: true });
    const csvPath = path.join(directory, `activation-${localStamp(stamp, '-').replace(/:/g, '')}-${activation.id.slice(0, 8)}.csv`);
    await writeFile(csvPath, csv, 'utf8');
    const printedReport = renderReport(report, csvPath);
    say();
    output.write(printedReport);
    say(`\nDemo finished in ${clock.total()} s.`);
    return {
      crisisId: crisis.id, activationId: activation.id, report, printedReport, csvPath, seeding: seeded.counts, responders: responders.stats, outsideRequests, timedOut,
      people: peopleOutcome,
    };
  } finally {
    responders.stopAnswering();
    // Members no longer reachable at this run's receiver poll instead, until the next run points them at its own.
    if (registry) await detachWebhooks(api, registry).catch(() => undefined);
    await responders.close();
    await ownPeople?.close();
  }
}

function stopwatch() {
  const start = Date.now();
  let last = start;
  return {
    lap: () => {
      const now = Date.now();
      const lap = ((now - last) / 1000).toFixed(1);
      last = now;
      return lap;
    },
    total: () => ((Date.now() - start) / 1000).toFixed(0),
  };
}

/** 2026-05-01 14:03:12 in local time, with `separator` between the day and the time. */
function localStamp(date: Date, separator: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}${separator}${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Requirements sized on what is eligible now in the crisis area, for the categories a flood calls for. */
async function planRequirements(api: ApiClient, token: string, now: Date) {
  const categories = REQUIREMENT_SHARES.map(([category]) => category);
  const eligible = await api.get<{ category: string; quantity: number }[]>(
    `/api/v1/eligible-assets?crisisType=NATURAL_DISASTER&departements=${CRISIS_AREA.join(',')}&categories=${categories.join(',')}`, token,
  );
  const neededBy = new Date(now.getTime() + 6 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const requirements = REQUIREMENT_SHARES.flatMap(([category, share]) => {
    const available = eligible.filter((asset) => asset.category === category).reduce((sum, asset) => sum + asset.quantity, 0);
    return available === 0 ? [] : [{ category, quantity: Math.max(1, Math.round(available * share)), departements: CRISIS_AREA, neededBy }];
  });
  if (requirements.length === 0) throw new Error(`No asset is eligible in ${CRISIS_AREA.join(', ')} for ${categories.join(', ')}: the seeded registry is too small`);
  return requirements;
}

/** Among the members asked, a few silent ones (escalation shows) and some slow ones; the others prompt. */
function assignProfiles(memberIds: string[], random: () => number): Map<string, Profile> {
  const shuffled = [...memberIds].sort().map((id) => ({ id, key: random() })).sort((a, b) => a.key - b.key).map((entry) => entry.id);
  const silent = shuffled.length >= 4 ? Math.max(1, Math.round(shuffled.length * SILENT_SHARE)) : 0;
  const slow = Math.round(shuffled.length * SLOW_SHARE);
  return new Map(shuffled.map((id, i) => [id, i < silent ? 'silent' : i < silent + slow ? 'slow' : 'prompt']));
}

/** Ends any demo crisis an interrupted run left open, so its engaged assets are available again. */
async function tidyEarlierRuns(api: ApiClient, registry: SeededRegistry, members: Map<string, SeededMember>): Promise<number> {
  const crises = await api.all<{ id: string; title: string }>('/api/v1/crises?status=OPEN&exercise=true', registry.operatorToken);
  const earlier = crises.filter((crisis) => crisis.title.startsWith(DEMO_CRISIS_TITLE));
  for (const crisis of earlier) {
    const detail = await api.get<{ activations: { id: string; status: string }[] }>(`/api/v1/crises/${crisis.id}`, registry.operatorToken);
    for (const activation of detail.activations) {
      await releaseDeployed(api, registry, activation.id, members);
      await endActivation(api, registry.operatorToken, activation.id);
    }
    await api.post(`/api/v1/crises/${crisis.id}/close`, {}, registry.operatorToken);
  }
  return earlier.length;
}

/** The operator closes the activation (every open request is stood down); one never authorized is cancelled. */
async function endActivation(api: ApiClient, operatorToken: string, activationId: string): Promise<void> {
  const { status } = await api.get<{ status: string }>(`/api/v1/activations/${activationId}`, operatorToken);
  const reason = "Fin de l'exercice";
  if (status === 'PENDING_AUTHORIZATION') await api.post(`/api/v1/activations/${activationId}/cancel`, { reason }, operatorToken);
  else if (LIVE_ACTIVATION.includes(status) || status === 'FULFILLED') await api.post(`/api/v1/activations/${activationId}/close`, { reason }, operatorToken);
}

/** Each demo member releases what it still has deployed for the activation. */
async function releaseDeployed(api: ApiClient, registry: SeededRegistry, activationId: string, members: Map<string, SeededMember>): Promise<void> {
  const deployed = await api.all<{ id: string; memberId: string }>(`/api/v1/mobilizations?activationId=${activationId}&status=DEPLOYED`, registry.operatorToken);
  await inBatches(deployed.filter((request) => members.has(request.memberId)), 4, async (request) => {
    try {
      await api.post(`/api/v1/mobilizations/${request.id}/release`, {}, members.get(request.memberId)!.token);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
  });
}

async function detachWebhooks(api: ApiClient, registry: SeededRegistry): Promise<void> {
  await inBatches(registry.members, 4, (member) => api.patch(`/api/v1/members/${member.id}`, { webhookUrl: null }, registry.adminToken));
}
