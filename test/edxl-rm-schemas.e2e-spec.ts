import { XMLParser } from 'fast-xml-parser';
import { EDXL_RM_MESSAGE_EXAMPLE } from '../src/reporting/dto/reporting.dto.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation, responder, type Responder } from './support/crisis.js';
import { edxlRmSchemaDir, schemaProblems } from './support/edxl-rm-schemas.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

const MSG = 'urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg';
const COMMON = 'urn:oasis:names:tc:emergency:EDXL:RM:1.0';

type Link = { n: number; type: string; href: string };
type Message = Link & { xml: string; root: Record<string, any> };

/** Namespaces aside (xmllint checks them), every element as an array, attributes kept. */
const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, isArray: (_name, path, _leaf, isAttribute) => !isAttribute && String(path).split('.').length > 1 });
const text = (node: any, ...path: string[]): string | undefined => {
  let at = node;
  for (const name of path) at = at?.[name]?.[0];
  return at === undefined ? undefined : String(typeof at === 'object' ? at['#text'] : at);
};

describe('EDXL-RM export: every message valid against the OASIS EDXL-RM 1.0 schema of its type', () => {
  let schemaDir: string;
  let t: TestApp;
  let actors: CrisisActors;
  let auditor: string;
  const calls = () => crisisCalls(t, actors);
  const served: Record<'answered' | 'cancelled', { activationId: string; messages: Message[] }> = {} as never;
  const requestOf: Record<string, string> = {};

  async function fetchThread(activationId: string): Promise<Message[]> {
    const list = await t.http.get(`/api/v1/activations/${activationId}/edxl-rm/messages`).set(bearer(auditor)).expect(200);
    const messages: Message[] = [];
    for (const link of list.body as Link[]) {
      const response = await t.http.get(link.href).set(bearer(auditor)).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      const root = parser.parse(response.text)[link.type];
      messages.push({ ...link, xml: response.text, root });
    }
    return messages;
  }

  async function answer(member: Responder, activationId: string, ...steps: [string, Record<string, unknown>?][]) {
    const [request] = await calls().requestsOf(member.user.token, activationId);
    requestOf[member.member.id] = request.id;
    for (const [action, body] of steps) await calls().respond(member.user.token, request.id, action, body ?? {}).expect(200);
  }

  beforeAll(async () => {
    // First: without the schemas nothing here can be checked, and the suite says where it looked.
    schemaDir = edxlRmSchemaDir();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50' } });
    actors = await crisisActors(t);
    auditor = (await t.signedInUser('AUDITOR')).token;

    // Five members asked; answers of every kind.
    const category = await isolatedCategory(t);
    const [a, b, c, d, e] = await Promise.all([1, 2, 3, 4, 5].map(() => responder(t, actors.directorate, null, { category })));
    const answered = await preparedActivation(t, actors, [{ category, quantity: 3, neededBy: new Date(Date.now() + 6 * 3600_000).toISOString() }]);
    await calls().authorize(answered.activationId).expect(200);
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [answered.activationId]))[0].n === 5);
    await answer(a, answered.activationId, ['acknowledge'], ['accept']);
    await answer(b, answered.activationId, ['acknowledge'], ['accept']);
    await answer(c, answered.activationId, ['acknowledge'], ['decline', { reasonCode: 'NOT_AVAILABLE', comment: 'Équipe "déjà" engagée <Nice>' }]);
    await answer(d, answered.activationId, ['acknowledge']);
    await answer(a, answered.activationId, ['deploy']);
    await answer(b, answered.activationId, ['deploy']);
    await answer(a, answered.activationId, ['release']);
    void e; // asked, never answered: no message of its own

    // An activation the crisis cell cancels: one member committed (released by the cancellation), one acknowledged.
    const other = await isolatedCategory(t);
    const [f, g] = await Promise.all([1, 2].map(() => responder(t, actors.directorate, null, { category: other })));
    const cancelled = await preparedActivation(t, actors, [{ category: other, quantity: 2 }]);
    await calls().authorize(cancelled.activationId).expect(200);
    await eventually(async () => (await t.db.query(`SELECT count(*)::int AS n FROM mobilization_request WHERE activation_id = $1 AND status = 'NOTIFIED'`, [cancelled.activationId]))[0].n === 2);
    await answer(f, cancelled.activationId, ['accept']);
    await answer(g, cancelled.activationId, ['acknowledge']);
    await t.http.post(`/api/v1/activations/${cancelled.activationId}/cancel`).set(bearer(actors.operator.token)).send({ reason: 'Renforts départementaux suffisants' }).expect(200);

    served.answered = { activationId: answered.activationId, messages: await fetchThread(answered.activationId) };
    served.cancelled = { activationId: cancelled.activationId, messages: await fetchThread(cancelled.activationId) };
    Object.assign(requestOf, { a: requestOf[a.member.id], b: requestOf[b.member.id], c: requestOf[c.member.id], d: requestOf[d.member.id], f: requestOf[f.member.id], g: requestOf[g.member.id] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates every message of both threads with xmllint against EDXL-RM<type>.xsd', () => {
    const problems: string[] = [];
    for (const { messages } of Object.values(served)) {
      for (const message of messages) problems.push(...schemaProblems(schemaDir, message.type, message.xml).map((line) => `#${message.n} ${message.type}: ${line}`));
    }
    expect(problems).toEqual([]);
    expect(served.answered.messages.length + served.cancelled.messages.length).toBe(19);
  });

  it('maps the life cycle to message types, in thread order', () => {
    const kinds = (messages: Message[]) => messages.map((m) => (m.type === 'ResponseToRequestResource'
      ? `${m.type}:${text(m.root, 'ResourceInformation', 'ResponseInformation', 'ResponseType')}`
      : m.type));
    expect(kinds(served.answered.messages)).toEqual([
      'RequestResource',
      'ResponseToRequestResource:Provisional', 'ResponseToRequestResource:Accept', 'CommitResource', // a
      'ResponseToRequestResource:Provisional', 'ResponseToRequestResource:Accept', 'CommitResource', // b
      'ResponseToRequestResource:Provisional', 'ResponseToRequestResource:Decline', // c
      'ResponseToRequestResource:Provisional', // d
      'ReportResourceDeploymentStatus', 'ReportResourceDeploymentStatus', 'ReleaseResource',
    ]);
    expect(kinds(served.cancelled.messages)).toEqual([
      'RequestResource', 'ResponseToRequestResource:Accept', 'CommitResource', 'ResponseToRequestResource:Provisional', 'RequestResource', 'ReleaseResource',
    ]);
    expect(served.answered.messages.map((m) => m.n)).toEqual(served.answered.messages.map((_, i) => i + 1));
  });

  it('puts the message elements in the message namespace and the common types\' children in the RM namespace', () => {
    const [request] = served.answered.messages;
    expect(request.xml).toContain(`<RequestResource xmlns="${MSG}" xmlns:rm="${COMMON}">`);
    expect(request.xml).toMatch(/<IncidentInformation>\s*<rm:IncidentID>/);
    expect(request.xml).toMatch(/<TypeStructure>\s*<rm:ValueListURN>urn:renfort:categories<\/rm:ValueListURN>\s*<rm:Value>/);
    expect(request.xml).toMatch(/<ContactInformation>\s*<rm:ContactDescription>[^<]+<\/rm:ContactDescription>\s*<rm:ContactRole>Requester<\/rm:ContactRole>/);
    expect(request.xml).not.toContain('MessageThread');
  });

  it('links every message to the request (OriginatingMessageID) and to the one it follows in its exchange (PrecedingMessageID)', () => {
    const { messages } = served.answered;
    const requestId = text(messages[0].root, 'MessageID');
    expect(text(messages[0].root, 'OriginatingMessageID')).toBe(requestId);
    for (const message of messages) expect(text(message.root, 'OriginatingMessageID')).toBe(requestId);
    const byId = new Map(messages.map((m) => [text(m.root, 'MessageID'), m]));
    const release = messages.find((m) => m.type === 'ReleaseResource')!;
    const chain: string[] = [];
    for (let at: Message | undefined = release; at; at = byId.get(text(at.root, 'PrecedingMessageID'))) chain.push(at.type);
    expect(chain).toEqual(['ReleaseResource', 'ReportResourceDeploymentStatus', 'CommitResource', 'ResponseToRequestResource', 'ResponseToRequestResource', 'RequestResource']);
    expect(text(release.root, 'ResourceInformation', 'ResourceInfoElementID')).toBe(requestOf.a);
  });

  it('states the commitment, the decline reason as a value list, the arrival and the release', () => {
    const { messages } = served.answered;
    const [commit] = messages.filter((m) => m.type === 'CommitResource');
    expect(text(commit.root, 'ResourceInformation', 'ResponseInformation', 'ResponseType')).toBe('Accept');
    expect(text(commit.root, 'ResourceInformation', 'AssignmentInformation', 'Quantity', 'MeasuredQuantity', 'Amount')).toBe('1');
    expect(text(commit.root, 'ResourceInformation', 'Resource', 'ResourceStatus', 'DeploymentStatus', 'Value')).toBe('COMMITTED');
    expect(text(commit.root, 'ContactInformation', 'ContactRole')).toBe('RespondingOrg');

    const decline = messages.find((m) => text(m.root, 'ResourceInformation', 'ResponseInformation', 'ResponseType') === 'Decline')!;
    const reason = decline.root.ResourceInformation[0].ResponseInformation[0];
    expect(text(reason, 'ReasonCode', 'ValueListURN')).toBe('urn:renfort:decline-reasons');
    expect(text(reason, 'ReasonCode', 'Value')).toBe('NOT_AVAILABLE');
    expect(text(reason, 'ResponseReason')).toBe('Équipe "déjà" engagée <Nice>');
    expect(text(decline.root, 'ResourceInformation', 'ResponseInformation', 'PrecedingResourceInfoElementID')).toBe(
      text(messages[0].root, 'ResourceInformation', 'ResourceInfoElementID'),
    );

    const deployment = messages.find((m) => m.type === 'ReportResourceDeploymentStatus')!;
    expect(text(deployment.root, 'ResourceInformation', 'Resource', 'ResourceStatus', 'DeploymentStatus', 'Value')).toBe('DEPLOYED');
    expect(text(deployment.root, 'ResourceInformation', 'ScheduleInformation', 'ScheduleType')).toBe('ActualArrival');
    const release = messages.find((m) => m.type === 'ReleaseResource')!;
    expect(text(release.root, 'ResourceInformation', 'Resource', 'ResourceStatus', 'DeploymentStatus', 'Value')).toBe('RELEASED');
  });

  it('recalls a cancelled activation with a RequestResource whose MessageRecall cancels the original request', () => {
    const [request, , , , recall, release] = served.cancelled.messages;
    expect(text(recall.root, 'MessageRecall', 'RecallMessageID')).toBe(text(request.root, 'MessageID'));
    expect(text(recall.root, 'MessageRecall', 'RecallType')).toBe('Cancel');
    expect(text(recall.root, 'OriginatingMessageID')).toBe(text(request.root, 'MessageID'));
    expect(text(recall.root, 'MessageDescription')).toContain('Renforts départementaux suffisants');
    // The committed units the cancellation gave back, released by the crisis cell.
    expect(text(release.root, 'ResourceInformation', 'ResourceInfoElementID')).toBe(requestOf.f);
    expect(text(release.root, 'ContactInformation', 'ContactRole')).toBe('Requester');
  });

  it('serves the thread document as a Renfort wrapper around the same schema-valid messages', async () => {
    const { activationId, messages } = served.answered;
    const response = await t.http.get(`/api/v1/activations/${activationId}/edxl-rm`).set(bearer(auditor)).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const wrapper = new XMLParser({ ignoreAttributes: false }).parse(response.text)['rt:MessageThread'];
    expect(wrapper['@_xmlns:rt']).toBe('urn:renfort:edxl-rm:thread:1');
    const embedded = [...response.text.matchAll(/<rt:Message n="(\d+)" type="(\w+)" href="([^"]+)">\n([\s\S]*?)\n\s*<\/rt:Message>/g)];
    expect(embedded.map(([, n, type, href]) => ({ n: Number(n), type, href }))).toEqual(messages.map(({ n, type, href }) => ({ n, type, href })));
    const problems = embedded.flatMap(([, n, type, , xml]) => schemaProblems(schemaDir, type, xml).map((line) => `#${n}: ${line}`));
    expect(problems).toEqual([]);
  });

  it('documents a message example that is itself valid', () => {
    expect(schemaProblems(schemaDir, 'CommitResource', EDXL_RM_MESSAGE_EXAMPLE)).toEqual([]);
  });

  it('answers 404 for a message number out of range, 400 for one that is not an integer', async () => {
    const { activationId, messages } = served.cancelled;
    const url = (n: string) => `/api/v1/activations/${activationId}/edxl-rm/messages/${n}`;
    for (const n of ['0', String(messages.length + 1), '-1']) {
      const response = await t.http.get(url(n)).set(bearer(auditor)).expect(404);
      expect(response.body.code).toBe('EDXL_RM.MESSAGE_NOT_FOUND');
    }
    for (const n of ['abc', '1.5', '1e2']) {
      const response = await t.http.get(url(n)).set(bearer(auditor)).expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST.INVALID', details: [{ field: 'n' }] });
    }
    await t.http.get(url(String(messages.length))).set(bearer(actors.operator.token)).expect(200);
    await t.http.get(`/api/v1/activations/00000000-0000-4000-8000-000000000000/edxl-rm/messages`).set(bearer(auditor)).expect(404);
  });
});
