import type { PipeTransform } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService } from '@nestjs/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROLES } from '../src/common/auth/role.js';
import { chargeFields } from '../src/registry/domain/gratuity.js';
import { AUTHORIZATION_MATRIX, CALLERS, type Caller } from './authorization-matrix.js';
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

/**
 * A small JSON Schema check for OpenAPI 3.0 schemas (type, nullable, enum, required, properties,
 * items, additionalProperties, allOf, oneOf, $ref): enough to tell whether a real answer has the
 * documented shape. Answers the problems found, with their paths.
 */
function schemaProblems(value: unknown, schema: Json, doc: Json, path = '$'): string[] {
  if (schema.$ref) return schemaProblems(value, resolve(doc, schema.$ref), doc, path);
  if (value === null) return schema.nullable || schema.type === undefined ? [] : [`${path}: null but not nullable`];
  const problems: string[] = [];
  if (schema.allOf) for (const part of schema.allOf) problems.push(...schemaProblems(value, part, doc, path));
  if (schema.oneOf && !schema.oneOf.some((part: Json) => schemaProblems(value, part, doc, path).length === 0)) {
    problems.push(`${path}: matches none of oneOf`);
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  const actual = Array.isArray(value) ? 'array' : typeof value;
  switch (schema.type) {
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: ${JSON.stringify(value)} is not an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: ${JSON.stringify(value)} is not a number`);
      break;
    case 'string':
    case 'boolean':
    case 'array':
    case 'object':
      if (actual !== schema.type) problems.push(`${path}: ${JSON.stringify(value)?.slice(0, 60)} is not a ${schema.type}`);
      break;
  }
  if (schema.format === 'date-time' && typeof value === 'string' && Number.isNaN(Date.parse(value))) problems.push(`${path}: not a date-time`);
  if (schema.format === 'uuid' && typeof value === 'string' && !/^[0-9a-f-]{36}$/i.test(value)) problems.push(`${path}: not a uuid`);
  if (Array.isArray(value) && schema.items) value.forEach((item, index) => problems.push(...schemaProblems(item, schema.items, doc, `${path}[${index}]`)));
  if (actual === 'object' && !Array.isArray(value)) {
    const object = value as Json;
    for (const name of schema.required ?? []) if (!(name in object)) problems.push(`${path}.${name}: missing`);
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      if (name in object && object[name] !== undefined) problems.push(...schemaProblems(object[name], property, doc, `${path}.${name}`));
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const [name, item] of Object.entries(object)) {
        if (!(name in (schema.properties ?? {}))) problems.push(...schemaProblems(item, schema.additionalProperties, doc, `${path}.${name}`));
      }
    }
  }
  return problems;
}

function resolve(doc: Json, ref: string): Json {
  return ref.replace(/^#\//, '').split('/').reduce((node: Json, key) => node?.[key], doc);
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

  it('validates as an OpenAPI 3 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    if (!result.valid) process.stdout.write(`OpenAPI validation errors:\n${JSON.stringify(result.errors, null, 2)}\n`);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\./);
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

  it('documents a success answer for every operation: a schema for each content type, or 204 with none', () => {
    const problems: string[] = [];
    for (const { key, op } of operations) {
      const successes = Object.entries<Json>(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) problems.push(`${key}: no 2xx answer`);
      for (const [status, response] of successes) {
        if (!response.description) problems.push(`${key} ${status}: no description`);
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
    const expectStatus = (key: string, op: Json, status: number, expected: boolean, why: string) => {
      if (Boolean(op.responses[status]) !== expected) problems.push(`${key}: ${expected ? 'missing' : 'unexpected'} ${status} (${why})`);
    };
    for (const { key, route, op } of operations) {
      const isCommand = route.method !== 'GET';
      const hasInput = (op.parameters ?? []).some((parameter: Json) => parameter.in === 'path' || parameter.in === 'query');
      expectStatus(key, op, 400, isCommand || hasInput, 'validated input');
      expectStatus(key, op, 401, !route.isPublic || key === 'POST /api/v1/auth/login', 'a token is needed, or credentials are checked');
      expectStatus(key, op, 403, !route.isPublic && !ROLES.every((role) => route.roles?.includes(role)), 'a role is refused');
      if (/:[A-Za-z]+/.test(route.path)) expectStatus(key, op, 404, true, 'an id in the path');
      expectStatus(key, op, 422, route.method === 'POST' && !route.isPublic, 'Idempotency-Key');
      expectStatus(key, op, 429, (isCommand && !route.isPublic) || key === 'POST /api/v1/auth/login', 'throttled');
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
      for (const { key, route, op } of operations) {
        if (route.method !== 'GET') continue;
        const required = (op.parameters ?? []).filter((parameter: Json) => parameter.in === 'query' && parameter.required);
        const query = required.map((parameter: Json) => `${parameter.name}=${encodeURIComponent(parameter.example ?? parameter.schema?.example)}`).join('&');
        const url = `${await world.urlOf(route.path)}${query ? `?${query}` : ''}`;
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
      process.stdout.write(`OpenAPI: ${calls.length + 1} real answers checked against their documented schemas\n`);
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
