import { IN_MEMORY } from '../src/common/database/embedded/embedded-postgres.js';
import { ActivationEventHub } from '../src/crisis/live/activation-event-hub.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

/** One message of a server-sent event stream, as a client parses it. */
interface SseMessage {
  id: number;
  event: string;
  data: Record<string, any>;
}

/** A real HTTP client reading an event stream (node's fetch, its body read as it arrives). */
class StreamReader {
  readonly messages: SseMessage[] = [];
  retry: number | null = null;
  private ended = false;

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(baseUrl: string, activationId: string, headers: Record<string, string>, query = ''): Promise<StreamReader> {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/activations/${activationId}/events${query}`, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const reader = new StreamReader(response.status, controller);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    void reader.read(response.body!);
    return reader;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          this.take(text.slice(0, end));
          text = text.slice(end + 2);
        }
      }
    } catch {
      // Aborted by the test.
    }
    this.ended = true;
  }

  private take(block: string): void {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || !line.includes(':')) continue;
      const at = line.indexOf(':');
      fields[line.slice(0, at)] = line.slice(at + 1).replace(/^ /, '');
    }
    if (fields.retry) this.retry = Number(fields.retry);
    if (fields.data !== undefined) this.messages.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
  }

  get lastId(): number {
    return this.messages.at(-1)?.id ?? 0;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Waits until a message of this type (about this request, if given) arrived. */
  async waitFor(type: string, requestId?: string): Promise<SseMessage> {
    return eventually(async () => this.messages.find((m) => m.event === type && (!requestId || m.data.requestId === requestId)));
  }

  close(): void {
    this.abort.abort();
  }
}

describe('Live activation events (server-sent events) and the board', () => {
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  let baseB: string;
  let actors: CrisisActors;
  let members: Responder[];
  let activationId: string;
  const open: StreamReader[] = [];

  const streamOn = async (base: string, headers: Record<string, string> = {}, query = '') => {
    const reader = await StreamReader.open(base, activationId, { ...bearer(actors.operator.token), ...headers }, query);
    open.push(reader);
    return reader;
  };

  /** The activation's events in the log after a sequence, in order: what a stream must send. */
  const loggedAfter = async (after: number): Promise<{ sequence: number; type: string }[]> => {
    await a.sealEvents();
    const rows: { sequence: string; type: string }[] = await a.db.query(
      `SELECT sequence, type FROM audit_event
       WHERE (aggregate_id = $1 OR (payload ? 'activationId' AND payload->>'activationId' = $1)) AND sequence > $2 ORDER BY sequence`,
      [activationId, after],
    );
    return rows.map((row) => ({ sequence: Number(row.sequence), type: row.type }));
  };

  const requestOf = async (member: Responder) => {
    const [request] = await crisisCalls(a, actors).requestsOf(member.user.token, activationId);
    return request as { id: string };
  };

  beforeAll(async () => {
    // Two API instances on one database: A runs the workers (relay, deliveries), B serves HTTP only.
    a = await TestApp.start();
    b = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    for (const t of [a, b]) await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseA = `http://127.0.0.1:${(a.app.getHttpServer().address() as { port: number }).port}`;
    baseB = `http://127.0.0.1:${(b.app.getHttpServer().address() as { port: number }).port}`;
    actors = await crisisActors(a);
    const category = await isolatedCategory(a);
    members = [];
    // The sixth never answers: its request waits on its chain.
    for (let i = 0; i < 6; i += 1) members.push(await responder(a, actors.directorate, null, { category, contacts: 2 }));
    ({ activationId } = await preparedActivation(a, actors, [{ category, quantity: 2 }]));
    await crisisCalls(a, actors).authorize(activationId).expect(200);
  });

  afterEach(() => {
    for (const reader of open.splice(0)) reader.close();
  });

  afterAll(async () => {
    for (const reader of open.splice(0)) reader.close();
    await b?.close();
    await a?.close();
  });

  it('streams the committed events of the activation in sequence order, as members answer through the API', async () => {
    const stream = await streamOn(baseA);
    expect(stream.status).toBe(200);
    const authorized = await stream.waitFor('ActivationAuthorized');
    expect(authorized.data).toMatchObject({ activationId, aggregateType: 'Activation', requestId: null });
    expect(stream.retry).toBeGreaterThan(0);

    const calls = crisisCalls(a, actors);
    const first = await requestOf(members[0]);
    await calls.respond(members[0].user.token, first.id, 'acknowledge').expect(200);
    const acknowledged = await stream.waitFor('MobilizationRequestAcknowledged', first.id);
    expect(acknowledged.data).toMatchObject({
      requestId: first.id, memberId: members[0].member.id, memberName: members[0].member.legalName, actorRole: 'MEMBER',
      payload: expect.objectContaining({ to: 'ACKNOWLEDGED' }),
    });
    expect(acknowledged.id).toBe(acknowledged.data.sequence);

    const second = await requestOf(members[1]);
    await calls.respond(members[1].user.token, second.id, 'decline', { reasonCode: 'NOT_AVAILABLE', comment: 'Équipe engagée' }).expect(200);
    await stream.waitFor('MobilizationRequestDeclined', second.id);

    // What the stream sent is exactly the log's events of the activation, in order.
    const sent = stream.messages.map((m) => ({ sequence: m.id, type: m.event }));
    expect(sent).toEqual((await loggedAfter(0)).filter((event) => event.sequence <= stream.lastId));
  });

  it('resumes after Last-Event-ID with exactly the events missed, then goes on live', async () => {
    const calls = crisisCalls(a, actors);
    const before = await streamOn(baseA);
    await before.waitFor('ActivationAuthorized');
    await eventually(async () => before.lastId === (await loggedAfter(0)).at(-1)!.sequence);
    const resumeAfter = before.lastId;
    before.close();

    // Missed while disconnected.
    const third = await requestOf(members[2]);
    await calls.respond(members[2].user.token, third.id, 'acknowledge').expect(200);
    await eventually(async () => (await loggedAfter(resumeAfter)).some((event) => event.type === 'MobilizationRequestAcknowledged'));
    const missed = await loggedAfter(resumeAfter);

    const resumed = await streamOn(baseA, { 'last-event-id': String(resumeAfter) });
    await eventually(async () => resumed.messages.length >= missed.length);
    expect(resumed.messages.slice(0, missed.length).map((m) => ({ sequence: m.id, type: m.event }))).toEqual(missed);

    // The same from the query parameter, for clients that cannot set the header.
    const byQuery = await streamOn(baseA, {}, `?lastEventId=${resumeAfter}`);
    await eventually(async () => byQuery.messages.length >= missed.length);
    expect(byQuery.messages.slice(0, missed.length).map((m) => m.id)).toEqual(missed.map((event) => event.sequence));

    // Then live, on both, with no duplicate across the switch.
    await calls.respond(members[2].user.token, third.id, 'accept', { quantity: 1 }).expect(200);
    for (const reader of [resumed, byQuery]) {
      await reader.waitFor('MobilizationRequestAccepted', third.id);
      const ids = reader.messages.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      expect(ids[0]).toBeGreaterThan(resumeAfter);
    }
  });

  it('shows on the stream of one API instance an answer given through the other', async () => {
    const onB = await streamOn(baseB);
    await onB.waitFor('ActivationAuthorized');
    const fourth = await requestOf(members[3]);
    await crisisCalls(a, actors).respond(members[3].user.token, fourth.id, 'acknowledge').expect(200);
    const seen = await onB.waitFor('MobilizationRequestAcknowledged', fourth.id);
    expect(seen.data.memberName).toBe(members[3].member.legalName);
  });

  it('serves many streams of one activation with one read per batch, one listening connection per process, and frees them when they close', async () => {
    const hub = b.get(ActivationEventHub);
    const readers = await Promise.all(Array.from({ length: 12 }, () => streamOn(baseB)));
    await Promise.all(readers.map((reader) => reader.waitFor('ActivationAuthorized')));
    expect(hub.stats()).toMatchObject({ streams: 12, activations: 1, listening: true });
    const [{ listeners }] = await b.db.query(
      `SELECT count(*)::int AS listeners FROM pg_stat_activity WHERE application_name = 'renfort-live-events' AND datname = current_database()`,
    );
    // A and B: one each, however many streams.
    expect(listeners).toBe(2);

    const readsBefore = hub.stats().liveReads;
    const fifth = await requestOf(members[4]);
    await crisisCalls(a, actors).respond(members[4].user.token, fifth.id, 'acknowledge').expect(200);
    await Promise.all(readers.map((reader) => reader.waitFor('MobilizationRequestAcknowledged', fifth.id)));
    expect(hub.stats().liveReads - readsBefore).toBeLessThan(readers.length);

    for (const reader of readers) reader.close();
    await eventually(async () => hub.stats().streams === 0);
    expect(hub.stats()).toMatchObject({ streams: 0, activations: 0 });
  });

  it('answers the board in one read model that agrees with the report, and the stream resumes from its asOfSequence', async () => {
    const operator = bearer(actors.operator.token);
    const board = await eventually(async () => {
      const answer = (await a.http.get(`/api/v1/activations/${activationId}/board`).set(operator).expect(200)).body;
      return answer.countsByStatus.PENDING ? undefined : answer;
    });
    const report = (await a.http.get(`/api/v1/activations/${activationId}/report`).set(operator).expect(200)).body;
    expect(board.countsByStatus).toEqual(report.countsByStatus);
    expect(board.requestCount).toBe(report.requestCount);
    expect(board.requirements.map((r: any) => ({ requirementId: r.requirementId, asked: r.asked, accepted: r.accepted }))).toEqual(
      report.requirements.map((r: any) => ({ requirementId: r.requirementId, asked: r.quantity, accepted: r.acceptedQuantity })),
    );
    const declinedByReason: Record<string, number> = {};
    for (const declined of board.declined) declinedByReason[declined.reasonCode] = (declinedByReason[declined.reasonCode] ?? 0) + 1;
    expect(declinedByReason).toEqual(Object.fromEntries(report.declineReasons.map((r: any) => [r.reasonCode, r.count])));
    expect(board.declined[0]).toMatchObject({ memberId: members[1].member.id, comment: 'Équipe engagée' });
    expect(board.members.map((m: any) => m.memberId).sort()).toEqual(report.byMember.map((m: any) => m.memberId).sort());

    // A request still awaiting acknowledgement shows whom its chain reaches next, and by when.
    const silent = board.members.find((m: any) => m.memberId === members[5].member.id).requests[0];
    expect(silent).toMatchObject({
      status: 'NOTIFIED',
      currentStep: { level: 0, kind: 'MEMBER_CONTACT', contactName: 'Contact 1' },
      nextStep: { level: 1, kind: 'MEMBER_CONTACT', contactName: 'Contact 2', contactPhone: '+33612345672', dueAt: expect.any(String) },
      delivery: { status: 'DELIVERED', attempts: 1 },
    });
    expect(board.asOfSequence).toBeGreaterThanOrEqual((await loggedAfter(0)).at(-1)!.sequence);

    const fromBoard = await streamOn(baseA, { 'last-event-id': String(board.asOfSequence) });
    const fifth = await requestOf(members[4]);
    await crisisCalls(a, actors).respond(members[4].user.token, fifth.id, 'decline', { reasonCode: 'SAFETY' }).expect(200);
    await fromBoard.waitFor('MobilizationRequestDeclined', fifth.id);
    expect(fromBoard.messages.every((m) => m.id > board.asOfSequence)).toBe(true);
  });

  it('works with the browser session cookie, answers one page of JSON to a client that does not ask for the stream, and refuses bad input', async () => {
    const opened = await a.http.post('/api/v1/auth/session').send({ email: actors.minister.email, password: 'a long enough password' }).expect(200);
    const cookie = [opened.headers['set-cookie']].flat().find((line: string) => line.startsWith('renfort_session='))!.split(';')[0];
    const reader = await StreamReader.open(baseA, activationId, { cookie });
    open.push(reader);
    expect(reader.status).toBe(200);
    await reader.waitFor('ActivationAuthorized');

    const operator = bearer(actors.operator.token);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await a.http.get(`/api/v1/activations/${unknown}/events`).set(operator).set('accept', 'text/event-stream').expect(404);
    expect(missing.body.code).toBe('ACTIVATION.NOT_FOUND');
    await a.http.get(`/api/v1/activations/${unknown}/board`).set(operator).expect(404);
    const badId = await a.http.get(`/api/v1/activations/${activationId}/events`).set(operator).set('accept', 'text/event-stream').set('last-event-id', 'yesterday').expect(400);
    expect(badId.body.details[0].field).toBe('Last-Event-ID');
    await a.http.get(`/api/v1/activations/${activationId}/events?lastEventId=-1`).set(operator).set('accept', 'text/event-stream').expect(400);
    // A client that does not ask for the stream gets the same events as one page of JSON, which ends.
    const logged = await loggedAfter(0);
    const page = await a.http.get(`/api/v1/activations/${activationId}/events?lastEventId=${logged[0].sequence}`).set(operator).expect(200);
    expect(page.body.items.map((item: any) => item.sequence)).toEqual(logged.slice(1).map((event) => event.sequence));
    expect(page.body).toMatchObject({ activationId, lastSequence: logged.at(-1)!.sequence, more: false });
    const member = await a.http.get(`/api/v1/activations/${activationId}/events`).set(bearer(members[0].user.token)).set('accept', 'text/event-stream');
    expect(member.status).toBe(403);
  });
});

describe('Live activation events on the embedded database', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: IN_MEMORY, RELAY_INTERVAL_MS: '50' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await t?.close();
  });

  it('streams an answer live, announced by the embedded database itself, and ends the streams still open when the service stops', async () => {
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    const actors = await crisisActors(t);
    const member = await responder(t, actors.directorate, null, { category: await isolatedCategory(t) });
    const [category] = await t.db.query(`SELECT category FROM asset WHERE id = $1`, [member.assetIds[0]]);
    const { activationId } = await preparedActivation(t, actors, [{ category: category.category, quantity: 1 }]);
    await crisisCalls(t, actors).authorize(activationId).expect(200);
    const [request] = await crisisCalls(t, actors).requestsOf(member.user.token, activationId);
    const reader = await StreamReader.open(base, activationId, bearer(actors.operator.token));
    try {
      await reader.waitFor('ActivationAuthorized');
      await crisisCalls(t, actors).respond(member.user.token, request.id, 'acknowledge').expect(200);
      await reader.waitFor('MobilizationRequestAcknowledged', request.id);
      expect(t.get(ActivationEventHub).stats()).toMatchObject({ streams: 1, listening: true });
    } finally {
      reader.close();
    }
    await eventually(async () => t.get(ActivationEventHub).stats().streams === 0);

    // A stream still open when the service stops is ended, so that the server can close.
    const left = await StreamReader.open(base, activationId, bearer(actors.operator.token));
    await left.waitFor('MobilizationRequestAcknowledged', request.id);
    closed = true;
    await t.close();
    await eventually(async () => left.isEnded);
  });
});
