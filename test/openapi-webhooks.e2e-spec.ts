import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '../src/common/time/clock.js';
import { NotificationSweeper } from '../src/crisis/notifications/notification-sweeper.js';
import { activate, conventionBody } from './support/conventions.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation } from './support/crisis.js';
import { droneAsset, memberWithUser, type MemberFixture } from './support/fixtures.js';
import { DocumentSchemas } from './support/openapi-schemas.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

type Json = Record<string, any>;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Json;
}

/** A member's endpoint on the loopback that keeps every delivery as it came: headers and body. */
async function recordingEndpoint(): Promise<{ server: Server; url: (path: string) => string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '/', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${path}` };
}

/**
 * The webhooks the document describes are the ones members receive: every event type is
 * delivered for real, and each delivery's body and headers are checked against the document's
 * `webhooks` (its payload schema, its required headers and their schemas).
 */
describe('OpenAPI webhooks against real deliveries', () => {
  const MINUTE = 60_000;
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let endpoint: Awaited<ReturnType<typeof recordingEndpoint>>;
  let actors: CrisisActors;
  let doc: Json;
  let schemas: DocumentSchemas;

  beforeAll(async () => {
    endpoint = await recordingEndpoint();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50', WEBHOOK_ATTEMPTS: '2', WEBHOOK_BACKOFF_MS: '50' }, clock });
    actors = await crisisActors(t);
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
    schemas = new DocumentSchemas(doc);
  });
  afterAll(async () => {
    await t.close();
    endpoint.server.closeAllConnections();
    await new Promise<void>((resolve) => endpoint.server.close(() => resolve()));
  });

  /** A vetted member with a webhook on the endpoint, two contacts and one asset under an ACTIVE convention. */
  async function member(category: string, path: string): Promise<MemberFixture> {
    const fixture = await memberWithUser(t, { webhookUrl: endpoint.url(path) });
    const contactIds: string[] = [];
    for (const order of [1, 2]) {
      const contact = await t.http
        .post(`/api/v1/members/${fixture.member.id}/contacts`)
        .set(bearer(fixture.user.token))
        .send({ name: `Contact ${order}`, role: 'DUTY_OFFICER', phone: `+3361234567${order}`, email: `c${order}@member.test`, escalationOrder: order, available24x7: true })
        .expect(201);
      contactIds.push(contact.body.id);
    }
    const asset = await t.http.post('/api/v1/assets').set(bearer(fixture.user.token)).send(droneAsset({ category })).expect(201);
    const convention = await t.http
      .post('/api/v1/conventions')
      .set(bearer(actors.directorate.token))
      .send(conventionBody(fixture.member.id, [asset.body.id], { ackWithinMinutes: 30, deployWithinMinutes: 60, memberContactIds: contactIds }))
      .expect(201);
    await activate(t, convention.body.id, actors.directorate, fixture.user);
    return fixture;
  }

  async function passMinutes(minutes: number): Promise<void> {
    clock.advance(minutes * MINUTE);
    await t.get(NotificationSweeper).sweep();
  }

  /** What the document says of one delivery, as problems. */
  function problemsOf(delivery: Received): string[] {
    const type = String(delivery.body.type);
    const operation = doc.webhooks?.[type]?.post;
    if (!operation) return [`${type}: not in the document's webhooks`];
    const problems = schemas.problems(delivery.body, operation.requestBody.content['application/json'].schema, type);
    for (const header of operation.parameters.filter((parameter: Json) => parameter.in === 'header')) {
      const value = delivery.headers[header.name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${type}: no ${header.name} header`);
        continue;
      }
      problems.push(...schemas.problems(value, header.schema, `${type} ${header.name}`));
    }
    if (!String(delivery.headers['content-type']).startsWith('application/json')) problems.push(`${type}: content-type ${delivery.headers['content-type']}`);
    return problems;
  }

  it('delivers every event type the document describes, each with the documented payload and headers', async () => {
    const { respond, requestsOf, authorize } = crisisCalls(t, actors);
    const category = await isolatedCategory(t);
    const first = await member(category, 'first');
    const second = await member(category, 'second');
    const of = (path: string, type: string) => endpoint.received.filter((delivery) => delivery.path === `/${path}` && delivery.body.type === type);

    // Both members are asked; nobody answers within 30 minutes: both escalate to their second contact.
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => of('first', 'mobilization.requested').length === 1 && of('second', 'mobilization.requested').length === 1);
    await passMinutes(30);
    await eventually(async () => of('first', 'mobilization.escalated').length === 1 && of('second', 'mobilization.escalated').length === 1);

    // The first accepts: the requirement is met and the second is stood down; the first, late, is reminded.
    const [request] = await requestsOf(first.user.token, activationId);
    await respond(first.user.token, request.id, 'acknowledge').expect(200);
    await respond(first.user.token, request.id, 'accept', { quantity: 1 }).expect(200);
    await eventually(async () => of('second', 'mobilization.stood_down').length === 1);
    await passMinutes(60);
    await eventually(async () => of('first', 'mobilization.deployment_overdue').length === 1);

    const types = [...new Set(endpoint.received.map((delivery) => delivery.body.type))].sort();
    expect(types).toEqual(Object.keys(doc.webhooks).sort());
    expect(endpoint.received.flatMap(problemsOf)).toEqual([]);
    // The same delivery id in the body and in each header that carries it.
    for (const delivery of endpoint.received) {
      expect(delivery.headers['x-renfort-delivery']).toBe(delivery.body.deliveryId);
      expect(delivery.headers['webhook-id']).toBe(delivery.body.deliveryId);
    }
    process.stdout.write(`OpenAPI webhooks: ${endpoint.received.length} real deliveries checked against the document\n`);
  });
});
