import type { PipeTransform } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService } from '@nestjs/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROLES } from '../src/common/auth/role.js';
import { chargeFields } from '../src/registry/domain/gratuity.js';
import { AUTHORIZATION_MATRIX, CALLERS, type Caller } from './authorization-matrix.js';
import { conventionBody } from './support/conventions.js';
import { isolatedCategory } from './support/crisis.js';
import { droneAsset, validSiren } from './support/fixtures.js';
import { DocumentSchemas } from './support/openapi-schemas.js';
import { type Route, routeTable } from './support/routes.js';
import { bearer, TEST_ADMIN, TestApp } from './support/test-app.js';
import { World } from './support/world.js';

type Json = Record<string, any>;

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const ERROR_REF = '#/components/schemas/ErrorResponse';

interface Operation {
  key: string;
  route: Route;
  op: Json;
}

/** `/api/v1/members/:id` as OpenAPI writes it: `/api/v1/members/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** The role names listed after **Roles:** in a description. */
function rolesIn(description: string | undefined): string[] {
  const line = /\*\*Roles:\*\*([^\n]*)/.exec(description ?? '')?.[1] ?? '';
  return ROLES.filter((role) => new RegExp(`\\b${role}\\b`).test(line));
}

const checkers = new WeakMap<Json, DocumentSchemas>();

/** The ways a value departs from a schema of the document (JSON Schema 2020-12, as OpenAPI 3.1 has it), with their paths. */
function schemaProblems(value: unknown, schema: Json, doc: Json, path = '$'): string[] {
  let checker = checkers.get(doc);
  if (!checker) checkers.set(doc, (checker = new DocumentSchemas(doc)));
  return checker.problems(value, schema, path);
}

function resolve(doc: Json, ref: string): Json {
  return ref.replace(/^#\//, '').split('/').reduce((node: Json, key) => node?.[key], doc);
}

/** A value made of the property examples of a component schema (and of the components it refers to). */
function exampleOfSchema(doc: Json, name: string): Json {
  const build = (schema: Json): unknown => {
    if (schema.$ref) return build(resolve(doc, schema.$ref));
    if (schema.anyOf) return build(schema.anyOf[0]);
    if (schema.example !== undefined) return schema.example;
    if (schema.enum) return schema.enum[0];
    if (schema.properties) return Object.fromEntries(Object.entries<Json>(schema.properties).map(([key, property]) => [key, build(property)]));
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'array') return [];
    return { string: schema.format === 'date-time' ? '2026-11-22T16:40:00.000Z' : 'x', integer: 1, number: 1, boolean: true, object: {} }[type as string] ?? null;
  };
  return build(resolve(doc, `#/components/schemas/${name}`)) as Json;
}

/** An example object, or the value its $ref points at. */
const exampleValue = (doc: Json, example: Json) => (example.$ref ? resolve(doc, example.$ref).value : example.value);

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Json;
  let operations: Operation[];

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
    operations = routeTable(t).map((route) => ({
      key: `${route.method} ${route.path}`,
      route,
      op: doc.paths?.[openApiPath(route.path)]?.[route.method.toLowerCase()],
    }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('validates as an OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    if (!result.valid) process.stdout.write(`OpenAPI validation errors:\n${JSON.stringify(result.errors, null, 2)}\n`);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route of the application, and no other', () => {
    expect(operations.length).toBeGreaterThan(70);
    expect(operations.filter(({ op }) => !op).map(({ key }) => key)).toEqual([]);
    const documented = Object.entries<Json>(doc.paths).flatMap(([path, item]) => VERBS.filter((verb) => item[verb]).map((verb) => `${verb.toUpperCase()} ${path}`));
    const routed = operations.map(({ route }) => `${route.method} ${openApiPath(route.path)}`);
    expect(documented.filter((key) => !routed.includes(key))).toEqual([]);
    process.stdout.write(`OpenAPI: ${documented.length} operations documented\n`);
  });

  it('gives every operation a summary and the roles the access guard enforces, in its description and in x-roles', () => {
    const problems: string[] = [];
    for (const { key, route, op } of operations) {
      if (typeof op.summary !== 'string' || op.summary.trim().length < 10) problems.push(`${key}: no summary`);
      if (op['x-public'] !== route.isPublic) problems.push(`${key}: x-public ${op['x-public']}, route public ${route.isPublic}`);
      const roles = route.isPublic ? [] : [...(route.roles ?? [])].sort();
      if (JSON.stringify([...(op['x-roles'] ?? ['missing'])].sort()) !== JSON.stringify(roles)) {
        problems.push(`${key}: x-roles ${JSON.stringify(op['x-roles'])}, guard ${JSON.stringify(roles)}`);
      }
      if (!/\*\*Roles:\*\*/.test(op.description ?? '')) problems.push(`${key}: no **Roles:** in the description`);
      else if (route.isPublic ? !/\*\*Roles:\*\* public/.test(op.description) : JSON.stringify(rolesIn(op.description).sort()) !== JSON.stringify(roles)) {
        problems.push(`${key}: description says ${JSON.stringify(rolesIn(op.description))}, guard ${JSON.stringify(roles)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('asks for the bearer token on every private operation and on no public one', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const problems = operations.flatMap(({ key, route, op }) => {
      const bearerAsked = (op.security ?? []).some((requirement: Json) => 'bearer' in requirement);
      return bearerAsked === !route.isPublic ? [] : [`${key}: security ${JSON.stringify(op.security)}`];
    });
    expect(problems).toEqual([]);
  });

  it('states security on every operation, from the route metadata: no token on public ones, the bearer token on the others', () => {
    const problems = operations.flatMap(({ key, route, op }) => {
      const expected = route.isPublic ? [] : [{ bearer: [] }];
      return JSON.stringify(op.security) === JSON.stringify(expected) ? [] : [`${key}: security ${JSON.stringify(op.security)}`];
    });
    expect(problems).toEqual([]);
    expect(operations.filter(({ route }) => route.isPublic).map(({ key }) => key)).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /health']));
  });

  it('declares, with a description, every tag its operations and webhooks use, and where the API is served', () => {
    const declared = new Map<string, string>((doc.tags ?? []).map((tag: Json) => [tag.name, tag.description]));
    const used = new Set<string>();
    for (const item of [...Object.values<Json>(doc.paths), ...Object.values<Json>(doc.webhooks ?? {})]) {
      for (const verb of VERBS) for (const tag of item[verb]?.tags ?? []) used.add(tag);
    }
    expect([...used].filter((tag) => !(declared.get(tag)?.length ?? 0))).toEqual([]);
    expect([...declared.keys()].filter((tag) => !used.has(tag))).toEqual([]);
    expect(operations.filter(({ op }) => !(op.tags?.length > 0)).map(({ key }) => key)).toEqual([]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('describes the webhooks sent to members: each event type, its payload and the signature headers', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const webhooks = Object.entries<Json>(doc.webhooks ?? {});
    expect(webhooks.map(([name]) => name).sort()).toEqual(
      ['mobilization.deployment_overdue', 'mobilization.escalated', 'mobilization.requested', 'mobilization.stood_down'],
    );
    for (const [name, item] of webhooks) {
      const schema = resolve(doc, item.post.requestBody.content['application/json'].schema.$ref);
      expect(schema.properties.type.enum).toEqual([name]);
      expect(schema.required).toEqual(expect.arrayContaining(['type', 'deliveryId']));
      const headers = item.post.parameters.filter((parameter: Json) => parameter.in === 'header' && parameter.required).map((parameter: Json) => parameter.name);
      expect(headers).toEqual(expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'X-Renfort-Delivery', 'X-Renfort-Signature']));
      expect(item.post.responses['2XX']).toBeDefined();
    }
  });

  it('tells real answers from drift: a missing required field, a null where none is allowed, an undocumented field', () => {
    const asset = doc.paths['/api/v1/assets/{id}'].get.responses['200'].content['application/json'].schema;
    expect(asset).toEqual({ $ref: '#/components/schemas/AssetResponse' });
    const valid = exampleOfSchema(doc, 'AssetResponse');
    expect(schemaProblems(valid, asset, doc)).toEqual([]);
    const { name: _name, ...missing } = valid;
    expect(schemaProblems(missing, asset, doc).join()).toMatch(/required property 'name'/);
    expect(schemaProblems({ ...valid, quantity: null }, asset, doc).join()).toMatch(/\.quantity: must be integer/);
    expect(schemaProblems({ ...valid, description: null }, asset, doc)).toEqual([]);
    expect(schemaProblems({ ...valid, price: 12 }, asset, doc).join()).toMatch(/unevaluated properties.*price/);
  });

  it('documents a success answer for every operation: a schema for each content type, 204 with none, or a redirect and where to', () => {
    const problems: string[] = [];
    for (const { key, op } of operations) {
      const successes = Object.entries<Json>(op.responses).filter(([status]) => /^[23]\d\d$/.test(status));
      if (successes.length === 0) problems.push(`${key}: no 2xx or 3xx answer`);
      for (const [status, response] of successes) {
        if (!response.description) problems.push(`${key} ${status}: no description`);
        if (status.startsWith('3')) {
          if (!response.headers?.Location) problems.push(`${key} ${status}: a redirect without Location`);
          continue;
        }
        if (status === '204') {
          if (response.content) problems.push(`${key} 204: has content`);
          continue;
        }
        const media = Object.entries<Json>(response.content ?? {});
        if (media.length === 0) problems.push(`${key} ${status}: no content type`);
        for (const [type, content] of media) if (!content.schema) problems.push(`${key} ${status} ${type}: no schema`);
      }
    }
    expect(problems).toEqual([]);
    const report = operations.find(({ key }) => key === 'GET /api/v1/activations/:id/report')!.op;
    expect(Object.keys(report.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
    const edxl = operations.find(({ key }) => key === 'GET /api/v1/activations/:id/edxl-rm')!.op;
    expect(Object.keys(edxl.responses['200'].content)).toEqual(['application/xml']);
  });

  it('registers the single error shape as a component and uses it, with examples of it, for every error answer', () => {
    expect(doc.components.schemas.ErrorResponse.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'code', 'message']));
    const problems: string[] = [];
    for (const { key, op } of operations) {
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (Number(status) < 400) continue;
        const media = response.content?.['application/json'];
        // A page the route declares for a browser, and only that: the API's JSON is not involved.
        if (!media && Object.keys(response.content ?? {}).length > 0) continue;
        if (media?.schema?.$ref !== ERROR_REF) problems.push(`${key} ${status}: not the ErrorResponse schema`);
        const examples = Object.values<Json>(media?.examples ?? {}).map((example) => exampleValue(doc, example));
        if (examples.length === 0) problems.push(`${key} ${status}: no example`);
        for (const example of examples) {
          if (example?.statusCode !== Number(status)) problems.push(`${key} ${status}: an example says ${example?.statusCode}`);
          problems.push(...schemaProblems(example, media.schema, doc, `${key} ${status} example`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists the errors each route can give: 400 on input, 401 and 403 from the guard, 404 on ids, 409/422/429 on commands, 503 always', () => {
    const problems: string[] = [];
    /** `undefined`: the route may list the status or not, as its own declarations say. */
    const expectStatus = (key: string, op: Json, status: number, expected: boolean | undefined, why: string) => {
      // What the derivation adds answers JSON; a page of its own the route declares for a browser is not checked here.
      const listed = Boolean(op.responses[status]) && (expected !== false || Boolean(op.responses[status].content?.['application/json']));
      if (expected !== undefined && listed !== expected) problems.push(`${key}: ${expected ? 'missing' : 'unexpected'} ${status} (${why})`);
    };
    for (const { key, route, op } of operations) {
      const isCommand = route.method !== 'GET';
      const hasInput = (op.parameters ?? []).some((parameter: Json) => parameter.in === 'path' || parameter.in === 'query');
      expectStatus(key, op, 400, isCommand || hasInput, 'validated input');
      // A public command may check credentials of its own (signing in, opening a browser session), and throttle them.
      const publicCommand = route.isPublic && isCommand && key !== 'POST /api/v1/auth/login' ? undefined : false;
      expectStatus(key, op, 401, !route.isPublic || key === 'POST /api/v1/auth/login' || publicCommand, 'a token is needed, or credentials are checked');
      expectStatus(key, op, 403, !route.isPublic && !ROLES.every((role) => route.roles?.includes(role)), 'a role is refused');
      if (/:[A-Za-z]+/.test(route.path)) expectStatus(key, op, 404, true, 'an id in the path');
      expectStatus(key, op, 422, route.method === 'POST' && !route.isPublic, 'Idempotency-Key');
      expectStatus(key, op, 429, (isCommand && !route.isPublic) || key === 'POST /api/v1/auth/login' || publicCommand, 'throttled');
      expectStatus(key, op, 503, true, 'database');
      if (isCommand && !route.isPublic) expectStatus(key, op, 409, true, 'a concurrent change');
      if (op.responses[429] && !op.responses[429].headers?.['Retry-After']) problems.push(`${key}: 429 without Retry-After`);
      if (route.method === 'POST' && !route.isPublic && !(op.parameters ?? []).some((parameter: Json) => parameter.name === 'Idempotency-Key')) {
        problems.push(`${key}: no Idempotency-Key header`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees with the reviewed authorization matrix on 401, 403 and 404', () => {
    const problems: string[] = [];
    for (const { key, op } of operations) {
      const outcomes = AUTHORIZATION_MATRIX[key]?.trim().split(/\s+/);
      if (!outcomes) {
        problems.push(`${key}: not in the matrix`);
        continue;
      }
      for (const status of ['401', '403', '404']) {
        if (outcomes.includes(status) && !op.responses[status]) problems.push(`${key}: a caller of the matrix gets ${status}, the document lists none`);
      }
      // A 403 the document lists must be one that some kind of caller really gets.
      if (op.responses['403'] && !outcomes.includes('403')) problems.push(`${key}: the document lists 403, no caller of the matrix gets it`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every path and query parameter', () => {
    const problems = operations.flatMap(({ key, op }) =>
      (op.parameters ?? [])
        .filter((parameter: Json) => (parameter.in === 'path' || parameter.in === 'query') && !parameter.description)
        .map((parameter: Json) => `${key}: ${parameter.in} parameter ${parameter.name}`),
    );
    expect(problems).toEqual([]);
  });

  it('gives every JSON request body an example that the application\'s own validation accepts, and no price in it', async () => {
    // The application's own global pipes: the examples meet exactly what a request meets.
    const pipes = (t.app as unknown as { config: { getGlobalPipes(): PipeTransform[] } }).config.getGlobalPipes();
    expect(pipes.length).toBeGreaterThan(0);
    const bodyTypes = bodyTypesOf(t);
    const problems: string[] = [];
    const validated = new Set<string>();
    for (const { key, op } of operations) {
      const media = op.requestBody?.content?.['application/json'];
      const type = bodyTypes.get(key);
      if (type && !media) problems.push(`${key}: takes a body, documents none`);
      if (!media) continue;
      const examples = media.examples
        ? Object.entries<Json>(media.examples).map(([name, example]) => [name, exampleValue(doc, example)] as const)
        : media.example !== undefined ? [['example', media.example] as const] : [];
      if (examples.length === 0) problems.push(`${key}: no example`);
      for (const [name, value] of examples) {
        problems.push(...schemaProblems(value, media.schema, doc, `${key} ${name}`));
        if (chargeFields(value).length > 0) problems.push(`${key} ${name}: carries ${chargeFields(value).join(', ')}`);
        if (!type) continue;
        try {
          let body: unknown = structuredClone(value);
          for (const pipe of pipes) body = await pipe.transform(body, { type: 'body', metatype: type, data: undefined });
          validated.add(key);
        } catch (error) {
          problems.push(`${key} ${name}: refused by validation: ${(error as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(bodyTypes.size).toBeGreaterThan(30);
    expect([...bodyTypes.keys()].filter((key) => !validated.has(key))).toEqual([]);
  });

  describe('against real answers', () => {
    let world: World;

    beforeAll(async () => {
      world = await World.build(t);
    });

    /** A caller the route lets through to the world's objects. */
    function callerFor(roles: string[]): Caller {
      const preference: Caller[] = ['ADMIN', 'CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'MEMBER_OWN', 'DIRECTORATE_PARTY'];
      const role = (caller: Caller) => (caller.startsWith('MEMBER') ? 'MEMBER' : caller.startsWith('DIRECTORATE') ? 'DIRECTORATE' : caller);
      return preference.find((caller) => roles.includes(role(caller))) ?? CALLERS[0];
    }

    it('answers every GET route, and signing in, with the documented status, content type and schema', async () => {
      const problems: string[] = [];
      const calls: { key: string; op: Json; url: string; token: string | null; accept?: string }[] = [];
      const notConfigured: string[] = [];
      for (const { key, route, op } of operations) {
        if (route.method !== 'GET') continue;
        const required = (op.parameters ?? []).filter((parameter: Json) => parameter.in === 'query' && parameter.required);
        const query = required.map((parameter: Json) => `${parameter.name}=${encodeURIComponent(parameter.example ?? parameter.schema?.example)}`).join('&');
        // A path parameter the world has no object for (a message number) takes the document's example.
        const path = (await world.urlOf(route.path)).replace(/:([A-Za-z]+)/g, (_, name: string) => {
          const parameter = (op.parameters ?? []).find((candidate: Json) => candidate.in === 'path' && candidate.name === name);
          return encodeURIComponent(String(parameter?.example ?? parameter?.schema?.example ?? (parameter?.schema?.type === 'integer' ? 1 : name)));
        });
        const url = `${path}${query ? `?${query}` : ''}`;
        const token = route.isPublic ? null : world.tokens[callerFor(op['x-roles'])];
        calls.push({ key, op, url, token });
        if (op.responses['200']?.content?.['text/csv']) calls.push({ key, op, url, token, accept: 'text/csv' });
      }
      for (const { key, op, url, token, accept } of calls) {
        const request = t.http.get(url);
        if (token) request.set(bearer(token));
        if (accept) request.set('accept', accept);
        const response = await request;
        const documented = op.responses[String(response.status)];
        if (documented && response.status >= 300 && response.status < 400) {
          if (!response.headers.location) problems.push(`${key}: answered ${response.status} without Location`);
          continue;
        }
        // A feature this test application does not configure (sign-in through an identity provider) says so, as documented.
        if (documented && /\.NOT_CONFIGURED$/.test(String(response.body?.code))) {
          notConfigured.push(key);
          continue;
        }
        // An answer link's page: its token is its credential, and the document's example is none (the documented 404).
        if (documented && response.status === 404 && op.responses['200']?.content?.['text/html'] && response.body?.code === 'ANSWER.LINK_INVALID') continue;
        if (!documented || response.status >= 300) {
          problems.push(`${key}${accept ? ` (${accept})` : ''}: answered ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
          continue;
        }
        const type = String(response.headers['content-type']).split(';')[0];
        const media = documented.content?.[type];
        if (!media) {
          problems.push(`${key}: answered ${type}, documented ${Object.keys(documented.content ?? {}).join(', ')}`);
          continue;
        }
        if (type === 'application/json') problems.push(...schemaProblems(response.body, media.schema, doc, key));
      }
      const login = await t.http.post('/api/v1/auth/login').send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).expect(200);
      const loginSchema = doc.paths['/api/v1/auth/login'].post.responses['200'].content['application/json'].schema;
      problems.push(...schemaProblems(login.body, loginSchema, doc, 'POST /api/v1/auth/login'));
      expect(problems).toEqual([]);
      process.stdout.write(`OpenAPI: ${calls.length + 1 - notConfigured.length} real answers checked against their documented schemas` +
        `${notConfigured.length > 0 ? ` (not configured here: ${notConfigured.join(', ')})` : ''}\n`);
    });

    it('answers commands with the documented status and schema: a member registered with required fields only, to its activation\'s close', async () => {
      const problems: string[] = [];
      const checked = new Set<string>();
      /** Calls a route and checks its answer against what the document says of that status. */
      const call = async (method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: object): Promise<Json> => {
        const route = path.split('?')[0].replace(/\/[0-9a-f-]{36}(?=\/|$)/g, '/:id').replace(/contacts\/:id/, 'contacts/:contactId');
        const key = `${method} ${route}`;
        const request = t.http[method.toLowerCase() as 'get'](path).set(bearer(token));
        const response = method === 'GET' ? await request : await request.send(body ?? {});
        const documented = doc.paths[openApiPath(route)]?.[method.toLowerCase()]?.responses?.[response.status];
        if (!documented || response.status >= 300) {
          problems.push(`${key}: answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
          return response.body;
        }
        if (response.status !== 204) problems.push(...schemaProblems(response.body, documented.content['application/json'].schema, doc, key));
        checked.add(key);
        return response.body;
      };
      const admin = world.tokens.ADMIN!;
      const { directorate, operator, minister } = world.actors;

      // Users: an account, its role changed, disabled and enabled.
      const user = await call('POST', '/api/v1/users', admin, { email: `journey.${validSiren()}@renfort.test`, password: 'a long enough password', role: 'AUDITOR' });
      await call('PATCH', `/api/v1/users/${user.id}`, admin, { role: 'CRISIS_OPERATOR' });
      await call('POST', `/api/v1/users/${user.id}/disable`, admin);
      await call('POST', `/api/v1/users/${user.id}/enable`, admin);

      // Members: registered with the required fields only (no webhook), vetted, changed, a contact.
      const member = await call('POST', '/api/v1/members', admin, { legalName: `Journey ${validSiren()}`, siren: validSiren(), charterSignedAt: '2017-03-21', charterSignatory: 'Claire Martin' });
      const vetted = await call('POST', `/api/v1/members/${member.id}/vet`, admin);
      await call('PATCH', `/api/v1/members/${member.id}`, admin, { charterSignatory: 'Karim Benali', webhookUrl: 'https://alertes.journey.example.fr/renfort', version: vetted.version });
      const contact = await call('POST', `/api/v1/members/${member.id}/contacts`, admin, {
        name: 'Julien Lefèvre', role: 'DUTY_OFFICER', phone: '+33612345678', email: 'astreinte@journey.test', escalationOrder: 1, available24x7: true,
      });
      await call('PATCH', `/api/v1/members/${member.id}/contacts/${contact.id}`, admin, { available24x7: false });
      await call('GET', `/api/v1/members/${member.id}`, admin);
      await call('POST', `/api/v1/members/${member.id}/suspend`, admin, { reason: 'Attestation d\'assurance expirée' });
      await call('POST', `/api/v1/members/${member.id}/reinstate`, admin, { reason: 'Attestation renouvelée' });
      const own = await t.signedInUser('MEMBER', { memberId: member.id });

      // Assets: declared without the optional fields (answered as null), changed, attested, a window.
      const category = await isolatedCategory(t);
      const asset = await call('POST', '/api/v1/assets', own.token, droneAsset({ category, quantity: 2 }));
      const changed = await call('PATCH', `/api/v1/assets/${asset.id}`, own.token, { version: asset.version, description: 'Deux batteries par drone' });
      await call('PATCH', `/api/v1/assets/${asset.id}`, own.token, { version: changed.version, description: null });
      await call('POST', `/api/v1/assets/${asset.id}/attest`, own.token);
      await call('POST', `/api/v1/assets/${asset.id}/unavailability`, own.token, { from: '2030-12-01T08:00:00Z', to: '2030-12-03T18:00:00Z', reason: 'Révision annuelle' });
      await call('GET', `/api/v1/assets/${asset.id}`, own.token);

      // Conventions: drafted, proposed, signed, countersigned.
      const convention = await call('POST', '/api/v1/conventions', directorate.token, conventionBody(member.id, [asset.id], { memberContactIds: [contact.id] }));
      await call('POST', `/api/v1/conventions/${convention.id}/propose`, directorate.token);
      await call('POST', `/api/v1/conventions/${convention.id}/sign`, own.token);
      await call('POST', `/api/v1/conventions/${convention.id}/countersign`, directorate.token);
      await call('GET', `/api/v1/conventions/${convention.id}`, own.token);
      await call('POST', `/api/v1/conventions/${convention.id}/suspend`, directorate.token, { reason: 'Attestation à renouveler' });
      await call('POST', `/api/v1/conventions/${convention.id}/resume`, directorate.token);
      const amendment = await call('POST', `/api/v1/conventions/${convention.id}/amend`, directorate.token);
      await call('PATCH', `/api/v1/conventions/${amendment.id}`, directorate.token, { rowVersion: amendment.rowVersion, ackWithinMinutes: 20 });
      await call('POST', `/api/v1/conventions/${amendment.id}/propose`, directorate.token);
      await call('POST', `/api/v1/conventions/${amendment.id}/reject`, own.token, { reason: 'Délai trop court' });

      // Crises and activations: opened, prepared, authorized; the member answers; closed.
      const crisis = await call('POST', '/api/v1/crises', operator.token, { title: 'Crues de la Roya', type: 'NATURAL_DISASTER', departements: ['06'], severity: 3 });
      const activation = await call('POST', `/api/v1/crises/${crisis.id}/activations`, operator.token, {
        decisionReference: `DM-${validSiren()}`, requirements: [{ category, quantity: 1 }],
      });
      await call('GET', `/api/v1/activations/${activation.id}/preview`, operator.token);
      await call('POST', `/api/v1/activations/${activation.id}/authorize`, minister.token);
      const [request] = (await call('GET', `/api/v1/mobilizations?activationId=${activation.id}`, own.token)).items ?? [];
      if (request) {
        await call('POST', `/api/v1/mobilizations/${request.id}/acknowledge`, own.token);
        await call('POST', `/api/v1/mobilizations/${request.id}/accept`, own.token, { quantity: 1 });
        await call('POST', `/api/v1/mobilizations/${request.id}/deploy`, own.token, { arrivedAt: new Date().toISOString() });
        await call('POST', `/api/v1/mobilizations/${request.id}/release`, own.token);
        await call('GET', `/api/v1/mobilizations/${request.id}`, own.token);
      } else problems.push('the authorized activation made no request to the member');
      await call('POST', `/api/v1/activations/${activation.id}/close`, operator.token, { reason: 'Décrue constatée' });
      await call('GET', `/api/v1/activations/${activation.id}`, operator.token);
      await call('GET', `/api/v1/crises/${crisis.id}`, operator.token);
      // Another activation, declined by the member and cancelled; then the crisis closes.
      const second = await call('POST', `/api/v1/crises/${crisis.id}/activations`, operator.token, { decisionReference: `DM-${validSiren()}`, requirements: [{ category, quantity: 1 }] });
      await call('POST', `/api/v1/activations/${second.id}/authorize`, minister.token);
      const [declined] = (await call('GET', `/api/v1/mobilizations?activationId=${second.id}`, own.token)).items ?? [];
      if (declined) await call('POST', `/api/v1/mobilizations/${declined.id}/decline`, own.token, { reasonCode: 'CAPACITY_ENGAGED' });
      await call('POST', `/api/v1/activations/${second.id}/cancel`, minister.token, { reason: 'Décision rapportée' });
      await call('POST', `/api/v1/crises/${crisis.id}/close`, operator.token);

      // Unsolicited offers: recorded and accepted onto the member's asset.
      const offer = await call('POST', '/api/v1/offers', own.token, { offeredBy: 'Riviera Satcom SARL', description: 'Vingt téléphones satellitaires' });
      await call('POST', `/api/v1/offers/${offer.id}/reject`, admin, { reason: 'Hors charte' });
      const accepted = await call('POST', '/api/v1/offers', own.token, { offeredBy: 'Azur Groupes SARL', description: 'Groupes électrogènes' });
      await call('POST', `/api/v1/offers/${accepted.id}/accept`, admin, { memberId: member.id, assetId: asset.id });
      await call('POST', '/api/v1/categories', admin, { code: `J_${validSiren()}`, label: 'Journey category' });
      await call('POST', `/api/v1/members/${member.id}/webhook-secret/rotate`, admin);
      await call('POST', `/api/v1/members/${member.id}/withdraw`, admin, { reason: 'Retrait demandé par la société' });

      expect(problems).toEqual([]);
      const groups = ['users', 'members', 'assets', 'conventions', 'crises', 'activations', 'mobilizations', 'offers'];
      expect(groups.filter((group) => ![...checked].some((key) => key.includes(`/api/v1/${group}`)))).toEqual([]);
      process.stdout.write(`OpenAPI: ${checked.size} command and read answers of a journey checked against their documented schemas\n`);
    });

    it('answers errors in the documented error shape, with the codes its examples show', async () => {
      const schema = { $ref: ERROR_REF };
      const invalid = await t.http.get('/api/v1/members/not-a-uuid').set(bearer(world.tokens.ADMIN!)).expect(400);
      const missing = await t.http.get(`/api/v1/members/${world.ids.assets}`).set(bearer(world.tokens.ADMIN!)).expect(404);
      const anonymous = await t.http.get('/api/v1/members').expect(401);
      const refused = await t.http.get('/api/v1/users').set(bearer(world.tokens.AUDITOR!)).expect(403);
      for (const response of [invalid, missing, anonymous, refused]) expect(schemaProblems(response.body, schema, doc)).toEqual([]);

      const documented = (path: string, status: number) =>
        Object.values<Json>(doc.paths[path].get.responses[status].content['application/json'].examples).map((example) => exampleValue(doc, example).code);
      expect(documented('/api/v1/members/{id}', 400)).toContain(invalid.body.code);
      expect(documented('/api/v1/members/{id}', 404)).toContain(missing.body.code);
      expect(documented('/api/v1/members', 401)).toContain(anonymous.body.code);
      expect(documented('/api/v1/users', 403)).toContain(refused.body.code);
    });
  });
});

/** The class each route's @Body() is validated against, by `METHOD /path`. */
function bodyTypesOf(t: TestApp): Map<string, new () => object> {
  const types = new Map<string, new () => object>();
  const routes = new Map(routeTable(t).map((route) => [route.handler, route]));
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller) continue;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const route = routes.get(`${controller.name}.${name}`);
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number }>;
      const body = Object.entries(args).find(([key]) => Number(key.split(':')[0]) === RouteParamtypes.BODY)?.[1];
      if (!route || !body) continue;
      const parameterTypes = Reflect.getMetadata('design:paramtypes', controller.prototype, name) as (new () => object)[];
      types.set(`${route.method} ${route.path}`, parameterTypes[body.index]);
    }
  }
  return types;
}
