import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../src/crisis/notifications/webhook-signature.js';
import { ApiClient, ApiError } from './api-client.js';

/**
 * The members' side of the exercise: one webhook server on the loopback where every demo
 * member is reached (`/m/<index>`), and a simulated duty officer per member who answers the
 * requests it receives after realistic delays, through the API with the member's own token.
 *
 * - prompt members acknowledge within seconds, then accept or decline (with a reason);
 * - slow members acknowledge after tens of seconds, still within the committed minute;
 * - silent members never answer in time: their requests escalate to the second contact at
 *   the deadline, and that contact answers once the escalation notice arrives.
 * Accepted assets are deployed (a few late), then released at the end of the exercise.
 */

export type Profile = 'prompt' | 'slow' | 'silent';

export interface RespondingMember {
  index: number;
  id: string;
  name: string;
  token: string;
  webhookSecret: string;
  profile: Profile;
}

export type Outcome = 'released' | 'declined' | 'stood-down' | 'failed';

type Action = 'acknowledge' | 'accept' | 'decline' | 'deploy' | 'release';
const STATUS_AFTER: Record<Action, string> = {
  acknowledge: 'ACKNOWLEDGED', accept: 'ACCEPTED', decline: 'DECLINED', deploy: 'DEPLOYED', release: 'RELEASED',
};

const DECLINES: { reasonCode: string; weight: number; comment: string }[] = [
  { reasonCode: 'NOT_AVAILABLE', weight: 35, comment: 'Matériel en maintenance préventive cette semaine.' },
  { reasonCode: 'CAPACITY_ENGAGED', weight: 30, comment: 'Équipe déjà engagée auprès de la préfecture des Bouches-du-Rhône.' },
  { reasonCode: 'OUT_OF_AREA', weight: 15, comment: 'Acheminement impossible : axes routiers coupés.' },
  { reasonCode: 'SAFETY', weight: 10, comment: 'Conditions météo hors du domaine de vol autorisé.' },
  { reasonCode: 'OTHER', weight: 10, comment: 'Astreinte injoignable sur site, reprise demain matin.' },
];

/** Delays in seconds at scale 1, drawn between the two bounds. */
const DELAYS = {
  promptBase: [1, 5],
  promptJitter: [0, 2],
  slowAck: [15, 45],
  afterEscalation: [2, 6],
  decide: [2, 8],
  deploy: [4, 15],
  lateDeploy: [61, 68],
  release: [2, 6],
} satisfies Record<string, [number, number]>;
const DECLINE_RATE: Record<Profile, number> = { prompt: 0.18, slow: 0.3, silent: 0.35 };
const LATE_DEPLOY_RATE = 0.12;
const PARTIAL_ACCEPT_RATE = 0.2;
/** Answers in flight at once, all members together. */
const CONCURRENT_ANSWERS = 6;
/** How long an answer waits for the delivery's NOTIFIED to be committed. */
const NOT_YET_NOTIFIED_RETRIES = 40;

interface Tracked {
  id: string;
  member: RespondingMember;
  assetName: string;
  timers: NodeJS.Timeout[];
  waitingForEscalation: boolean;
  escalatedTo: number;
  outcome?: Outcome;
}

export interface ResponderStats {
  deliveries: number;
  duplicateDeliveries: number;
  badSignatures: number;
  requestsReceived: number;
  escalationNotices: number;
  standDownNotices: number;
  answers: Record<Action, number>;
  outcomes: Record<Outcome, number>;
  problems: string[];
}

export interface ResponderSettings {
  api: ApiClient;
  /** Multiplies every delay: 1 for the demo, small in tests. */
  delayScale: number;
  /** The convention's committed time: when a silent member's first contact gives up waiting. */
  ackWithinMinutes: number;
  random: () => number;
  /** A notable moment of the exercise, for the terminal. */
  onEvent: (line: string) => void;
}

export class MemberResponders {
  readonly stats: ResponderStats = {
    deliveries: 0, duplicateDeliveries: 0, badSignatures: 0, requestsReceived: 0, escalationNotices: 0, standDownNotices: 0,
    answers: { acknowledge: 0, accept: 0, decline: 0, deploy: 0, release: 0 },
    outcomes: { released: 0, declined: 0, 'stood-down': 0, failed: 0 },
    problems: [],
  };
  private readonly members = new Map<number, RespondingMember & { ackBase: number }>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly deliveries = new Set<string>();
  private readonly escalatedMembers = new Set<string>();
  private activationId: string | null = null;
  private settings: ResponderSettings;
  private server: Server;
  private running = 0;
  private queue: (() => void)[] = [];
  private closed = false;
  private onSettled: (() => void) | null = null;

  static async start(): Promise<MemberResponders> {
    const responders = new MemberResponders();
    responders.server = createServer((request, response) => {
      // A connection dropped mid-body is the service's to retry: the delivery comes again.
      responders.handle(request, response).catch(() => response.headersSent || response.writeHead(500).end());
    });
    await new Promise<void>((resolve) => responders.server.listen(0, '127.0.0.1', resolve));
    return responders;
  }

  /** Where member `index` is reached: http on the loopback, which the service accepts for webhooks. */
  url(index: number): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/m/${index}`;
  }

  /** The members to play and the activation whose requests they answer; deliveries for anything else are ignored. */
  enlist(members: RespondingMember[], activationId: string, settings: ResponderSettings): void {
    this.settings = settings;
    this.activationId = activationId;
    for (const member of members) this.members.set(member.index, { ...member, ackBase: this.between(DELAYS.promptBase) });
  }

  /** Requests received and answered to the end (released, declined, stood down or failed). */
  get progress(): { received: number; settled: number } {
    let settled = 0;
    for (const request of this.tracked.values()) if (request.outcome) settled += 1;
    return { received: this.tracked.size, settled };
  }

  /** Whether every one of these requests has been answered to the end. */
  settled(requestIds: Iterable<string>): boolean {
    for (const id of requestIds) if (!this.tracked.get(id)?.outcome) return false;
    return true;
  }

  /** Resolves at the next settlement, for a caller that waits for a set to settle. */
  nextSettlement(): Promise<void> {
    return new Promise((resolve) => (this.onSettled = resolve));
  }

  /** No answer from now on; deliveries are still acknowledged (204) until `close`. */
  stopAnswering(): void {
    this.closed = true;
    for (const request of this.tracked.values()) {
      request.timers.forEach(clearTimeout);
      request.timers = [];
    }
  }

  async close(): Promise<void> {
    this.stopAnswering();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const member = this.members.get(Number(/^\/m\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1));
    if (!member) {
      response.writeHead(404).end();
      return;
    }
    this.stats.deliveries += 1;
    const signature = String(request.headers['x-renfort-signature'] ?? '');
    if (!verifyWebhook(member.webhookSecret, rawBody, signature, Math.floor(Date.now() / 1000))) {
      this.stats.badSignatures += 1;
      response.writeHead(401).end();
      return;
    }
    // The delivery id is stable across retries: a member acts once on each delivery.
    const deliveryId = String(request.headers['x-renfort-delivery'] ?? '');
    if (this.deliveries.has(deliveryId)) {
      this.stats.duplicateDeliveries += 1;
      response.writeHead(204).end();
      return;
    }
    this.deliveries.add(deliveryId);
    response.writeHead(204).end();
    if (this.closed) return;

    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody);
    } catch {
      this.stats.problems.push(`an unreadable delivery ${deliveryId}`);
      return;
    }
    switch (body.type) {
      case 'mobilization.requested':
        if (body.activation?.id !== this.activationId) return;
        for (const item of body.requests as { id: string; assetName: string }[]) this.receive(member, item);
        return;
      case 'mobilization.escalated':
        if (body.activationId === this.activationId) this.escalated(body.requestId, body.level, body.contact);
        return;
      case 'mobilization.stood_down':
        if (body.activationId === this.activationId) {
          this.stats.standDownNotices += 1;
          this.finish(this.tracked.get(body.requestId), 'stood-down');
        }
        return;
    }
  }

  private receive(member: RespondingMember & { ackBase: number }, item: { id: string; assetName: string }): void {
    if (this.tracked.has(item.id)) return;
    const request: Tracked = { id: item.id, member, assetName: item.assetName, timers: [], waitingForEscalation: false, escalatedTo: 0 };
    this.tracked.set(item.id, request);
    this.stats.requestsReceived += 1;
    switch (member.profile) {
      case 'prompt':
        this.later(request, member.ackBase + this.between(DELAYS.promptJitter), () => this.acknowledge(request));
        break;
      case 'slow':
        this.later(request, this.between(DELAYS.slowAck), () => this.acknowledge(request));
        break;
      case 'silent':
        // The first contact does not answer; should no escalation notice come (another
        // configuration), the request is acknowledged late anyway so the exercise ends.
        request.waitingForEscalation = true;
        this.later(request, this.settings.ackWithinMinutes * 60 + 30, () => this.acknowledge(request));
        break;
    }
  }

  private escalated(requestId: string, level: number, contact: { name: string; phone: string } | null): void {
    this.stats.escalationNotices += 1;
    const request = this.tracked.get(requestId);
    if (!request || request.outcome) return;
    request.escalatedTo = level;
    const key = `${request.member.id}:${level}`;
    if (!this.escalatedMembers.has(key)) {
      this.escalatedMembers.add(key);
      const who = contact ? `${contact.name} (${contact.phone})` : 'no further contact';
      this.settings.onEvent(`${request.member.name}: not acknowledged within ${this.settings.ackWithinMinutes} min, escalated to contact n°${level + 1}, ${who}`);
    }
    if (request.waitingForEscalation) {
      request.waitingForEscalation = false;
      request.timers.forEach(clearTimeout);
      request.timers = [];
      this.later(request, this.between(DELAYS.afterEscalation), () => this.acknowledge(request));
    }
  }

  private async acknowledge(request: Tracked): Promise<void> {
    request.waitingForEscalation = false;
    if (!(await this.act(request, 'acknowledge'))) return;
    this.later(request, this.between(DELAYS.decide), () => this.decide(request));
  }

  private async decide(request: Tracked): Promise<void> {
    if (this.settings.random() < DECLINE_RATE[request.member.profile]) {
      const decline = this.weightedDecline();
      if (await this.act(request, 'decline', { reasonCode: decline.reasonCode, comment: decline.comment })) this.finish(request, 'declined');
      return;
    }
    const partial = this.settings.random() < PARTIAL_ACCEPT_RATE;
    if (!(await this.act(request, 'accept', partial ? { quantity: 1 } : {}))) return;
    // Only prompt members are late on site: they accepted early, so the exercise still ends within two minutes.
    const late = request.member.profile === 'prompt' && this.settings.random() < LATE_DEPLOY_RATE;
    this.later(request, this.between(late ? DELAYS.lateDeploy : DELAYS.deploy), () => this.deploy(request));
  }

  private async deploy(request: Tracked): Promise<void> {
    if (!(await this.act(request, 'deploy', {}))) return;
    this.later(request, this.between(DELAYS.release), async () => {
      if (await this.act(request, 'release')) this.finish(request, 'released');
    });
  }

  /**
   * One answer through the API. A request stood down meanwhile ends quietly; one whose
   * notification is not committed yet (the webhook came first) is tried again shortly.
   */
  private async act(request: Tracked, action: Action, body: Record<string, unknown> = {}): Promise<boolean> {
    if (request.outcome) return false;
    const path = `/api/v1/mobilizations/${request.id}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.limited(() => this.settings.api.post(`${path}/${action}`, body, request.member.token));
        this.stats.answers[action] += 1;
        return true;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) return this.fail(request, `${action}: ${(error as Error).message}`);
        if (error.code === 'REQUEST.STOOD_DOWN' || error.code === 'REQUEST.REQUIREMENT_MET') return this.finish(request, 'stood-down');
        const current = await this.settings.api.get<{ status: string }>(path, request.member.token);
        if (current.status === 'STOOD_DOWN') return this.finish(request, 'stood-down');
        if (current.status === STATUS_AFTER[action]) return true;
        if (current.status !== 'PENDING' || attempt >= NOT_YET_NOTIFIED_RETRIES) return this.fail(request, `${action}: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private fail(request: Tracked, problem: string): false {
    this.stats.problems.push(`${request.member.name}, ${request.assetName}: ${problem}`);
    return this.finish(request, 'failed');
  }

  private finish(request: Tracked | undefined, outcome: Outcome): false {
    if (!request || request.outcome) return false;
    request.outcome = outcome;
    request.timers.forEach(clearTimeout);
    request.timers = [];
    this.stats.outcomes[outcome] += 1;
    const wake = this.onSettled;
    this.onSettled = null;
    wake?.();
    return false;
  }

  /** Runs the step after `seconds` (scaled), unless the request ended meanwhile. */
  private later(request: Tracked, seconds: number, step: () => Promise<void> | void): void {
    const timer = setTimeout(() => {
      request.timers = request.timers.filter((t) => t !== timer);
      if (request.outcome || this.closed) return;
      Promise.resolve(step()).catch((error: unknown) => this.fail(request, (error as Error).message));
    }, seconds * 1000 * this.settings.delayScale);
    request.timers.push(timer);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENT_ANSWERS) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }

  private between([low, high]: [number, number]): number {
    return low + this.settings.random() * (high - low);
  }

  private weightedDecline(): (typeof DECLINES)[number] {
    let draw = this.settings.random() * DECLINES.reduce((sum, decline) => sum + decline.weight, 0);
    for (const decline of DECLINES) if ((draw -= decline.weight) < 0) return decline;
    return DECLINES[DECLINES.length - 1];
  }
}
