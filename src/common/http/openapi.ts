import { applyDecorators, type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import {
  ApiBody, ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, DocumentBuilder, type ExampleObject, type ExamplesObject, getSchemaPath,
  type OpenAPIObject, type OperationObject, type ParameterObject, type ReferenceObject, type RequestBodyObject, type ResponseObject,
  type SchemaObject, SwaggerModule,
} from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ALLOWED_ROLES, IS_PUBLIC } from '../auth/access.decorators.js';
import { type Role, ROLES } from '../auth/role.js';
import { WEBHOOK_PAYLOADS } from '../../crisis/notifications/webhook-docs.js';
import { completeDocument } from './openapi-document.js';
import { EXAMPLE_ID } from './openapi-examples.js';
import { UuidPipe } from './uuid.pipe.js';

@ApiSchema({ name: 'ErrorDetail', description: 'One bad field and what is wrong with it' })
export class ErrorDetailSchema {
  @ApiProperty({ example: 'siren', description: 'Dotted path of the field (`coverage.departements`), or the parameter or header name' })
  field: string;

  @ApiProperty({ type: [String], example: ['siren fails the Luhn check digit'] })
  problems: string[];
}

@ApiSchema({ name: 'ErrorResponse', description: 'The single error shape of the API: every 4xx and 5xx answer has it' })
export class ErrorResponseSchema {
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated' })
  statusCode: number;

  @ApiProperty({ example: 'Not Found', description: 'The HTTP reason phrase' })
  error: string;

  @ApiProperty({ example: 'MEMBER.NOT_FOUND', description: 'Stable machine-readable code (`AREA.REASON`): rely on it, not on the message' })
  code: string;

  @ApiProperty({ example: `No member with id ${EXAMPLE_ID.member}`, description: 'What went wrong, for a person' })
  message: string;

  @ApiPropertyOptional({
    description: 'For invalid input, one entry per bad field; otherwise extra facts (a health check lists its dependencies)',
    oneOf: [{ type: 'array', items: { $ref: getSchemaPath(ErrorDetailSchema) } }, { type: 'object', additionalProperties: true }],
  })
  details?: ErrorDetailSchema[] | Record<string, unknown>;
}

/** A body in the single error shape, for examples. */
export function errorExample(status: number, code: string, message: string, details?: unknown): Record<string, unknown> {
  return { statusCode: status, error: STATUS_CODES[status], code, message, ...(details === undefined ? {} : { details }) };
}

/**
 * A domain error a route can answer, beyond those derived from its metadata (a state conflict,
 * a four-eyes refusal): documented in the error shape, with one example per code.
 */
export function ApiErrorResponse(status: number, description: string, ...examples: { code: string; message: string }[]) {
  return ApiResponse({
    status,
    description,
    examples: Object.fromEntries(examples.map(({ code, message }) => [code, { summary: code, value: errorExample(status, code, message) }])),
  });
}

/**
 * Named request body examples for a route, where the examples built from the properties would
 * not tell the story (a member's user and a directorate's, a reason that fits the action).
 */
export function ApiRequestExamples(type: Type<unknown>, examples: Record<string, { summary: string; value: unknown }>) {
  return applyDecorators(ApiExtraModels(type), ApiBody({ schema: { $ref: getSchemaPath(type) }, examples }));
}

/** A request body example with a single field `reason`, the one that fits the action. */
export const ApiReasonExample = (type: Type<unknown>, reason: string) => ApiRequestExamples(type, { reason: { summary: 'With a reason', value: { reason } } });

/** What the access guard, the pipes and the interceptors of one route make of a request. */
interface RouteFacts {
  method: RequestMethod;
  isPublic: boolean;
  roles: Role[] | undefined;
  takesBody: boolean;
  takesQuery: boolean;
  /** Path parameters by name: true when validated as a UUID. */
  pathParams: Map<string, boolean>;
}

/** Resources named by a path segment: the noun used in texts, the prefix of their NOT_FOUND code, an example id. */
const RESOURCES: Record<string, { noun: string; code: string; example: string }> = {
  members: { noun: 'member', code: 'MEMBER', example: EXAMPLE_ID.member },
  contacts: { noun: 'contact', code: 'CONTACT', example: EXAMPLE_ID.contact },
  assets: { noun: 'asset', code: 'ASSET', example: EXAMPLE_ID.asset },
  offers: { noun: 'unsolicited offer', code: 'OFFER', example: EXAMPLE_ID.offer },
  directorates: { noun: 'directorate', code: 'DIRECTORATE', example: 'DGSCGC' },
  conventions: { noun: 'convention', code: 'CONVENTION', example: EXAMPLE_ID.convention },
  crises: { noun: 'crisis', code: 'CRISIS', example: EXAMPLE_ID.crisis },
  activations: { noun: 'activation', code: 'ACTIVATION', example: EXAMPLE_ID.activation },
  mobilizations: { noun: 'mobilization request', code: 'REQUEST', example: EXAMPLE_ID.request },
};

/** Error examples every route that can give them shares, kept once in components.examples. */
const SHARED_EXAMPLES: Record<string, ExampleObject> = {
  UnknownBodyField: {
    summary: 'A field not in the schema',
    value: errorExample(400, 'REQUEST.VALIDATION_FAILED', 'Invalid request: property nickname should not exist', [
      { field: 'nickname', problems: ['property nickname should not exist'] },
    ]),
  },
  QueryOutOfRange: {
    summary: 'A query parameter out of range',
    value: errorExample(400, 'REQUEST.VALIDATION_FAILED', 'Invalid request: pageSize must not be greater than 200', [
      { field: 'pageSize', problems: ['pageSize must not be greater than 200'] },
    ]),
  },
  InvalidJson: { summary: 'Malformed JSON', value: errorExample(400, 'REQUEST.INVALID_JSON', 'Request body is not valid JSON') },
  InvalidIdempotencyKey: {
    summary: 'A malformed Idempotency-Key',
    value: errorExample(400, 'IDEMPOTENCY.INVALID_KEY', 'Invalid request: Idempotency-Key must be 1 to 200 visible ASCII characters', [
      { field: 'Idempotency-Key', problems: ['must be 1 to 200 visible ASCII characters'] },
    ]),
  },
  TokenMissing: { summary: 'No token', value: errorExample(401, 'AUTH.TOKEN_MISSING', 'A bearer token is required') },
  TokenExpired: { summary: 'An expired token', value: errorExample(401, 'AUTH.TOKEN_EXPIRED', 'The bearer token has expired; sign in again') },
  DatabaseConflict: {
    summary: 'A concurrent change',
    value: errorExample(409, 'DATABASE.CONFLICT', 'A concurrent change conflicted with this request; retry it'),
  },
  IdempotencyInFlight: {
    summary: 'Same Idempotency-Key still running',
    value: errorExample(409, 'IDEMPOTENCY.IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly'),
  },
  BodyTooLarge: { summary: 'Body too large', value: errorExample(413, 'REQUEST.BODY_TOO_LARGE', 'Request body is too large: this route accepts at most 1048576 bytes') },
  TooManyKeys: {
    summary: 'Key-count bomb',
    value: errorExample(400, 'REQUEST.TOO_MANY_KEYS', 'Invalid request: the body holds more than 1000 keys, the most a request may hold'),
  },
  IdempotencyKeyReused: {
    summary: 'Key reused with another body',
    value: errorExample(422, 'IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was already used for a different request'),
  },
  Throttled: { summary: 'Throttled', value: errorExample(429, 'RATE_LIMIT.EXCEEDED', 'Too many attempts; retry in 12 s') },
  DatabaseTimeout: {
    summary: 'Statement timeout',
    value: errorExample(503, 'DATABASE.TIMEOUT', 'The request took too long and was cancelled before anything was committed; retry it'),
  },
};

const shared = (name: keyof typeof SHARED_EXAMPLES): ReferenceObject => ({ $ref: `#/components/examples/${name}` });

const ERROR_SCHEMA: ReferenceObject = { $ref: getSchemaPath(ErrorResponseSchema) };
const JSON_TYPE = 'application/json';

/**
 * The OpenAPI document, completed from the same route metadata the access guard reads, so that
 * the roles it shows cannot drift from the ones enforced: roles and security on every operation,
 * the error answers each route can give (in the single error shape), path parameter
 * descriptions, the Idempotency-Key header, and an example for every JSON request body; then the
 * document-wide parts (tags, servers, the webhooks sent to members).
 *
 * OpenAPI 3.1: its `webhooks` describe the calls Renfort makes to members, and @nestjs/swagger
 * writes nullable fields the 3.1 way (`type: [..., 'null']`) when asked for this version.
 * `publicBaseUrl`: where clients reach the service, when it is known; otherwise the document's
 * server is relative to where it was fetched from.
 */
export function buildOpenApiDocument(app: INestApplication, { publicBaseUrl = null }: { publicBaseUrl?: string | null } = {}): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Renfort API')
      .setDescription(
        'Crisis solidarity resource registry: members of the CICS solidarity charter, their free-of-charge ' +
          'resources, conventions with the ministry directorates, ministerial activations and their after-action review.\n\n' +
          'Sign in with `POST /api/v1/auth/login` and send the token as `Authorization: Bearer <token>`. Every operation ' +
          'states the roles allowed to call it (**Roles:** in its description, and `x-roles`); an object the caller may not ' +
          'see answers 404, never 403. Every error has one shape (`ErrorResponse`) with a stable `code`. A POST command ' +
          'accepts an `Idempotency-Key` header that makes its retry safe. The `webhooks` describe the signed calls Renfort ' +
          'makes to a member\'s own system about its mobilization requests. Examples use fictional companies and ids.',
      )
      .setVersion('1')
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    {
      extraModels: [ErrorResponseSchema, ErrorDetailSchema, ...WEBHOOK_PAYLOADS],
      // Operations are matched to their handlers by this id below.
      operationIdFactory: (controller, method) => `${controller}_${method}`,
    },
  );
  document.components = { ...document.components, examples: { ...document.components?.examples, ...SHARED_EXAMPLES } };
  const facts = routeFacts(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      const route = operation?.operationId ? facts.get(operation.operationId) : undefined;
      if (!operation || !route) continue;
      describeAccess(operation, route);
      describePathParameters(operation, route, path);
      if (acceptsIdempotencyKey(route)) addIdempotencyHeader(operation);
      completeSuccessResponses(operation);
      addErrorResponses(operation, route, path);
      addRequestExample(operation, document);
    }
  }
  completeDocument(document, publicBaseUrl);
  return document;
}

function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = app.get(Reflector);
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        // Read exactly as the AccessGuard reads them: the handler's rule first, then the controller's.
        const targets = [handler, controller];
        const route: RouteFacts = {
          method,
          isPublic: Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)),
          roles: reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets),
          takesBody: false,
          takesQuery: false,
          pathParams: new Map(),
        };
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
        for (const [key, arg] of Object.entries(args)) {
          const type = Number(key.split(':')[0]);
          if (type === RouteParamtypes.BODY) route.takesBody = true;
          if (type === RouteParamtypes.QUERY) route.takesQuery = true;
          if (type === RouteParamtypes.PARAM && typeof arg.data === 'string') {
            route.pathParams.set(arg.data, (arg.pipes ?? []).some((pipe) => pipe === UuidPipe || pipe instanceof UuidPipe));
          }
        }
        facts.set(`${controller.name}_${name}`, route);
      }
    }
  }
  return facts;
}

function describeAccess(operation: OperationObject, route: RouteFacts): void {
  const roles = route.isPublic ? [] : (route.roles ?? []);
  let access: string;
  if (route.isPublic) access = 'public, no token needed.';
  else if (roles.length === 0) access = 'none: this endpoint states no role rule, so every caller is refused.';
  else if (ROLES.every((role) => roles.includes(role))) access = `any signed-in user (${roles.join(', ')}).`;
  else access = `${roles.join(', ')}.`;
  operation.description = [operation.description, `**Roles:** ${access}`].filter(Boolean).join('\n\n');
  Object.assign(operation, { 'x-roles': roles, 'x-public': route.isPublic });
  // Stated on every operation, public ones included (an empty list: no token), so that no tool
  // has to guess from a document-wide default.
  operation.security = route.isPublic ? [] : [{ bearer: [] }];
}

function describePathParameters(operation: OperationObject, route: RouteFacts, path: string): void {
  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    if (parameter.in !== 'path') continue;
    const resource = resourceOf(path, parameter.name);
    parameter.description ??= resource ? `Id of the ${resource.noun}` : `The ${parameter.name}`;
    if (route.pathParams.get(parameter.name)) {
      parameter.schema = { ...(parameter.schema as SchemaObject), type: 'string', format: 'uuid' };
    }
    if (resource) parameter.example ??= resource.example;
  }
}

/** The resource a path parameter names: the segment just before it (`/members/{id}` → member). */
function resourceOf(path: string, parameter: string) {
  const segments = path.split('/');
  const index = segments.indexOf(`{${parameter}}`);
  return index > 0 ? RESOURCES[segments[index - 1]] : undefined;
}

/** The idempotency interceptor honours the key on POST commands of a signed-in caller. */
function acceptsIdempotencyKey(route: RouteFacts): boolean {
  return route.method === RequestMethod.POST && !route.isPublic;
}

function addIdempotencyHeader(operation: OperationObject): void {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the first answer is stored (24 h) and replayed for the same key and body; ' +
        'the same key with another body answers 422, and while the first request runs, 409.',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
      example: '7d1f0c2e-ops-06-vesubie',
    },
  ];
}

function completeSuccessResponses(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses)) {
    const answer = response as ResponseObject;
    if (/^[23]\d\d$/.test(status) && !answer.description) answer.description = STATUS_CODES[Number(status)] ?? 'Success';
    // A redirect (a browser sent to a provider and back) says where to.
    if (/^3\d\d$/.test(status) && !answer.headers?.Location) {
      answer.headers = { ...answer.headers, Location: { description: 'Where the browser goes next', schema: { type: 'string', format: 'uri-reference' } } };
    }
  }
}

interface DerivedError {
  description: string;
  examples: ExamplesObject;
}

/** The error answers a route can give, derived from what its guard, pipes and interceptors do. */
function derivedErrors(operation: OperationObject, route: RouteFacts, path: string): Map<number, DerivedError> {
  const isCommand = route.method !== RequestMethod.GET;
  const idempotent = acceptsIdempotencyKey(route);
  const errors = new Map<number, DerivedError>();

  const invalid: ExamplesObject = {};
  const causes: string[] = [];
  if (route.takesBody) {
    causes.push('a body field is missing, malformed or not in the schema');
    invalid.body = shared('UnknownBodyField');
  }
  if (route.takesQuery) {
    causes.push('a query parameter is malformed or unknown');
    invalid.query = shared('QueryOutOfRange');
  }
  if (route.pathParams.size > 0) {
    causes.push('a path parameter is malformed');
    const uuidParam = [...route.pathParams].find(([, isUuid]) => isUuid)?.[0];
    if (uuidParam) {
      invalid.path = {
        summary: 'An id that is not a UUID',
        value: errorExample(400, 'REQUEST.INVALID', `Invalid request: ${uuidParam} must be a UUID`, [{ field: uuidParam, problems: ['must be a UUID'] }]),
      };
    }
  }
  if (isCommand) {
    causes.push('the JSON is malformed');
    invalid.json = shared('InvalidJson');
    causes.push(
      'the body holds more than `BODY_MAX_KEYS` keys (`REQUEST.TOO_MANY_KEYS`), an array longer than `BODY_MAX_ARRAY_LENGTH` ' +
        '(`REQUEST.ARRAY_TOO_LONG`), nests deeper than 32 levels (`REQUEST.TOO_DEEP`) or a string with a lone surrogate (`REQUEST.ILL_FORMED_UNICODE`)',
    );
    invalid.tooManyKeys = shared('TooManyKeys');
  }
  if (idempotent) {
    causes.push('the Idempotency-Key header is malformed');
    invalid.idempotencyKey = shared('InvalidIdempotencyKey');
  }
  if (causes.length > 0) {
    errors.set(400, { description: `Invalid request: ${causes.join('; ')}. \`details\` names each bad field.`, examples: invalid });
  }

  if (!route.isPublic) {
    errors.set(401, {
      description: 'No bearer token, or an expired or invalid one (`AUTH.TOKEN_MISSING`, `AUTH.TOKEN_EXPIRED`, `AUTH.TOKEN_INVALID`).',
      examples: { missing: shared('TokenMissing'), expired: shared('TokenExpired') },
    });
    const roles = route.roles ?? [];
    const refused = ROLES.find((role) => !roles.includes(role));
    if (refused) {
      errors.set(403, {
        description:
          roles.length > 0
            ? `The caller's role is not allowed here (\`AUTH.ROLE_NOT_ALLOWED\`): only ${roles.join(', ')}.`
            : 'No role may call this endpoint (`AUTH.NO_ROLE_RULE`).',
        examples: {
          role: {
            summary: 'A role not allowed',
            value: roles.length > 0
              ? errorExample(403, 'AUTH.ROLE_NOT_ALLOWED', `The ${refused} role may not perform this action`)
              : errorExample(403, 'AUTH.NO_ROLE_RULE', 'This endpoint is not open to any role'),
          },
        },
      });
    }
  }

  if (route.pathParams.size > 0) {
    const examples: ExamplesObject = {};
    const nouns: string[] = [];
    for (const name of route.pathParams.keys()) {
      const resource = resourceOf(path, name);
      const noun = resource?.noun ?? name;
      nouns.push(noun);
      examples[name] = {
        summary: `No such ${noun}, or hidden from the caller`,
        value: errorExample(404, `${resource?.code ?? 'RESOURCE'}.NOT_FOUND`, `No ${noun} with ${route.pathParams.get(name) ? 'id' : 'code'} ${resource?.example ?? 'X'}`),
      };
    }
    errors.set(404, {
      description: `No such ${nouns.join(' or ')}, or one the caller may not see: what is out of reach answers 404, never 403, so ids cannot be probed.`,
      examples,
    });
  }

  if (isCommand && !route.isPublic) {
    errors.set(409, {
      description:
        'The change conflicts with a concurrent one (`DATABASE.CONFLICT`: read again and retry)' +
        (idempotent ? ', or a request with the same Idempotency-Key is still running (`IDEMPOTENCY.IN_FLIGHT`).' : '.'),
      examples: { concurrent: shared('DatabaseConflict'), ...(idempotent ? { inFlight: shared('IdempotencyInFlight') } : {}) },
    });
  }
  if (operation.requestBody) {
    errors.set(413, {
      description: route.isPublic
        ? 'The body is larger than `PUBLIC_BODY_LIMIT_BYTES` (4 KiB by default): anyone may call this route, so it reads only small bodies.'
        : 'The body is larger than `BODY_LIMIT_BYTES` (1 MiB by default).',
      examples: { tooLarge: shared('BodyTooLarge') },
    });
  }
  if (idempotent) {
    errors.set(422, {
      description: 'The Idempotency-Key was already used with a different request (`IDEMPOTENCY.KEY_REUSED`).',
      examples: { reused: shared('IdempotencyKeyReused') },
    });
  }
  if (isCommand && !route.isPublic) {
    errors.set(429, {
      description: 'Too many commands with this token in the window (`COMMAND_THROTTLE_LIMIT`, `RATE_LIMIT.EXCEEDED`); retry after `Retry-After` seconds.',
      examples: { throttled: shared('Throttled') },
    });
  }
  errors.set(503, {
    description:
      'A dependency is unavailable or did not answer within `REQUEST_TIMEOUT_MS` (`DATABASE.TIMEOUT`, `DATABASE.UNAVAILABLE`): ' +
      'nothing was committed, the request can be retried.',
    examples: { timeout: shared('DatabaseTimeout') },
  });
  return errors;
}

/** Every error answer in the single error shape: the derived ones, completed with what the controller declared. */
function addErrorResponses(operation: OperationObject, route: RouteFacts, path: string): void {
  const errors = derivedErrors(operation, route, path);
  const statuses = new Set([...errors.keys(), ...Object.keys(operation.responses).map(Number).filter((code) => code >= 400)]);
  for (const status of statuses) {
    const generic = errors.get(status);
    const declared = operation.responses[status] as ResponseObject | undefined;
    const declaredMedia = declared?.content?.[JSON_TYPE];
    // A page the route declares for a browser (an HTML page after a sign-in redirect) has a schema
    // of its own and stays. Error examples without a schema (@ApiErrorResponse on a route that
    // produces another type) are the JSON error shape's.
    const others = Object.entries(declared?.content ?? {}).filter(([type]) => type !== JSON_TYPE);
    const pages = Object.fromEntries(others.filter(([, media]) => media.schema));
    const stray = others.filter(([, media]) => !media.schema).map(([, media]) => media.examples ?? {});
    const examples: ExamplesObject = {
      ...Object.assign({}, ...stray),
      ...declaredMedia?.examples,
      ...(declaredMedia?.example === undefined ? {} : { declared: { summary: declared?.description, value: declaredMedia.example } }),
      ...generic?.examples,
    };
    if (Object.keys(examples).length === 0) {
      examples.error = { summary: STATUS_CODES[status], value: errorExample(status, `HTTP.${status}`, STATUS_CODES[status] ?? 'Error') };
    }
    // The route's own words first: they are the specific ones.
    const description = [...new Set([declared?.description, generic?.description].filter(Boolean))].join(' ');
    const answersJson = Boolean(generic) || Boolean(declaredMedia) || stray.length > 0 || Object.keys(pages).length === 0;
    operation.responses[status] = {
      ...declared,
      description: description || (STATUS_CODES[status] ?? 'Error'),
      content: { ...pages, ...(answersJson ? { [JSON_TYPE]: { schema: ERROR_SCHEMA, examples } } : {}) },
      ...(status === 429
        ? { headers: { ...declared?.headers, 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 12 } } } }
        : {}),
    };
  }
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** A request body example built from its schema's property examples, unless the controller gave its own. */
function addRequestExample(operation: OperationObject, document: OpenAPIObject): void {
  const media = (operation.requestBody as RequestBodyObject | undefined)?.content?.[JSON_TYPE];
  if (!media?.schema || media.example !== undefined || media.examples !== undefined) return;
  const value = exampleOf(media.schema, document, 0);
  if (value !== undefined) media.example = value;
}

function exampleOf(schema: SchemaObject | ReferenceObject, document: OpenAPIObject, depth: number): unknown {
  if (depth > 8) return undefined;
  if ('$ref' in schema) {
    const target = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
    return target ? exampleOf(target, document, depth + 1) : undefined;
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf) {
    return schema.allOf.reduce<Record<string, unknown> | undefined>((merged, part) => {
      const value = exampleOf(part, document, depth + 1);
      return value && typeof value === 'object' ? { ...merged, ...(value as Record<string, unknown>) } : merged;
    }, undefined);
  }
  if (schema.type === 'array' && schema.items) {
    const item = exampleOf(schema.items, document, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (schema.properties) {
    const entries = Object.entries(schema.properties)
      .map(([name, property]) => [name, exampleOf(property, document, depth + 1)] as const)
      .filter(([, value]) => value !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return undefined;
}
