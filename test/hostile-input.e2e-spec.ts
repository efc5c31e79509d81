import fc from 'fast-check';
import { AUTHORIZATION_MATRIX, type Caller, CALLERS } from './authorization-matrix.js';
import { type Route, routeTable } from './support/routes.js';
import { bearer, TestApp } from './support/test-app.js';
import { World } from './support/world.js';

const RUNS_PER_ROUTE = 25;

/** Values at the edges of what JSON can carry. */
const edgeValue = fc.oneof(
  fc.constantFrom(
    null, true, false, 0, -0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 5e-324,
    '', ' ', '\u0000', 'null', 'NaN', '2026-02-30', '9999-99-99T99:99:99Z', "'; DROP TABLE member; --", '<script>alert(1)</script>',
    '\ud800', '\udfff\ud800', '\u202eevil', 'é'.normalize('NFD'), '👩‍🚒', '\uFEFF', '06', '20', '2A', '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

function bodies(fields: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    // The route's own fields, each with a wrong, missing or extreme value, and maybe extra fields.
    fc.record(Object.fromEntries(fields.map((field) => [field, edgeValue])), { requiredKeys: [] }).chain((known) =>
      fc.dictionary(fc.string({ maxLength: 12 }), edgeValue, { maxKeys: 3 }).map((extra) => ({ ...extra, ...known })),
    ),
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }),
  );
}

/** The same path spelled with percent-encoded letters: a letter of each literal segment, and every letter. */
function encodedSpellings(url: string): string[] {
  const encode = (letter: string) => `%${letter.charCodeAt(0).toString(16).toUpperCase()}`;
  const segments = url.split('/');
  const first = segments.map((segment) => segment.replace(/[a-z]/, encode)).join('/');
  const every = segments.map((segment) => segment.replace(/[a-z]/g, encode)).join('/');
  return [first, every];
}

/** Two successful answers to a read are alike when they carry the same fields (a clock may differ). */
function sameShape(a: unknown, b: unknown): boolean {
  const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).sort().join(',') : typeof value);
  return keys(a) === keys(b);
}

/** The route's fields and twenty thousand keys it does not know. */
function keyBomb(fields: string[]): string {
  const unknown = Array.from({ length: 20_000 }, (_, i) => `"k${i}": ${i}`);
  return `{${[...fields.map((field) => `"${field}": "x"`), ...unknown].join(', ')}}`;
}

/** What a refusal of these cases must say, whatever else the route would have said. */
const EXPECTED_REFUSALS: Record<string, string[]> = {
  'key-count bomb': ['400 REQUEST.TOO_MANY_KEYS', '413 REQUEST.BODY_TOO_LARGE'],
  'lone surrogate in every field': ['400 REQUEST.ILL_FORMED_UNICODE'],
  'lone surrogate in a key': ['400 REQUEST.ILL_FORMED_UNICODE'],
};

/** Hand-made requests every route gets besides the generated ones. */
function specialCases(fields: string[]): { label: string; contentType: string; payload: string }[] {
  const json = (value: unknown) => ({ contentType: 'application/json', payload: JSON.stringify(value) });
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  return [
    { label: 'malformed JSON', contentType: 'application/json', payload: '{"a": ' },
    { label: 'JSON with a trailing comma', contentType: 'application/json', payload: '{"a": 1,}' },
    { label: 'text/plain', contentType: 'text/plain', payload: 'not json at all' },
    { label: 'XML', contentType: 'application/xml', payload: '<member/>' },
    { label: 'form', contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
    { label: 'oversized body', ...json({ blob: 'x'.repeat(1_200_000) }) },
    { label: 'huge string in every field', ...json(Object.fromEntries(fields.map((field) => [field, 'é'.repeat(200_000)]))) },
    { label: 'huge array in every field', ...json(Object.fromEntries(fields.map((field) => [field, Array.from({ length: 20_000 }, (_, i) => i)]))) },
    { label: 'deep nesting', contentType: 'application/json', payload: `{"a": ${deep}}` },
    { label: 'deep object nesting', ...json({ [fields[0] ?? 'x']: Array.from({ length: 500 }).reduce<unknown>((inner) => ({ a: inner }), 1) }) },
    { label: 'prototype pollution', contentType: 'application/json', payload: '{"__proto__": {"role": "ADMIN"}, "constructor": {"prototype": {"x": 1}}}' },
    { label: 'key-count bomb', contentType: 'application/json', payload: keyBomb(fields) },
    { label: 'lone surrogate in every field', contentType: 'application/json', payload: `{${(fields.length > 0 ? fields : ['x']).map((field) => `"${field}": "A\\ud800B"`).join(', ')}}` },
    { label: 'lone surrogate in a key', contentType: 'application/json', payload: '{"\\udfff": 1}' },
    { label: 'invalid UTF-8 bytes', contentType: 'application/json; charset=utf-8', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]).toString('latin1') },
  ];
}

describe('Hostile input on every command endpoint', () => {
  let t: TestApp;
  let world: World;
  let requestFields: Map<string, string[]>;
  let cases = 0;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    world = await World.build(t);
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    requestFields = new Map();
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref ? document.components.schemas[ref.split('/').pop()!] : undefined;
        requestFields.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, Object.keys(schema?.properties ?? {}));
      }
    }
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write(`hostile input: ${cases} cases tried on the command endpoints, no 5xx, one error shape, no partial write\n`);
  });

  /** Everything a refused request must have left as it was. */
  const snapshot = async () =>
    JSON.stringify(
      await t.db.query(`SELECT
        (SELECT coalesce(max(sequence), 0) FROM audit_event) + (SELECT count(*) FROM audit_event_pending) AS events,
        (SELECT count(*) FROM users) AS users, (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM member) AS members,
        (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM asset) AS assets, (SELECT count(*) FROM contact) AS contacts,
        (SELECT count(*) || ':' || coalesce(sum(row_version), 0) FROM convention) AS conventions, (SELECT count(*) FROM crisis) AS crises,
        (SELECT count(*) || ':' || max(updated_at) FROM activation) AS activations,
        (SELECT count(*) || ':' || max(updated_at) FROM mobilization_request) AS requests,
        (SELECT count(*) FROM unsolicited_offer) AS offers, (SELECT count(*) FROM asset_category) AS categories,
        (SELECT count(*) FROM asset_unavailability) AS windows`),
    );

  async function send(route: Route, token: string | null, contentType: string, payload: string, expected?: string[]): Promise<string[]> {
    const url = await world.urlOf(route.path);
    const before = await snapshot();
    const request = t.http[route.method.toLowerCase() as 'post'](url).set('content-type', contentType);
    if (token) request.set(bearer(token));
    const response = await request.send(payload);
    cases += 1;
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`${response.status}`);
    if (response.status >= 400) {
      const body = response.body ?? {};
      if (body.statusCode !== response.status || typeof body.error !== 'string' || typeof body.code !== 'string' || typeof body.message !== 'string') {
        problems.push(`not the error shape: ${response.text.slice(0, 200)}`);
      }
      if (/QueryFailedError|node_modules|\n\s+at |\.[jt]s:\d+|"stack"/.test(response.text)) problems.push(`internals leaked: ${response.text.slice(0, 200)}`);
      if ((await snapshot()) !== before) problems.push('a refused request changed the database');
    }
    if (expected && !expected.includes(`${response.status} ${response.body?.code}`)) {
      problems.push(`answered ${response.status} ${response.body?.code}, expected ${expected.join(' or ')}`);
    }
    return problems.map((problem) => `${route.method} ${route.path}: ${problem}`);
  }

  it('never answers 5xx, always in the single error shape, with no partial write', async () => {
    const routes = routeTable(t).filter((route) => route.method !== 'GET' && route.path !== '/health');
    expect(routes.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (process.env.HOSTILE_TRACE) process.stdout.write(`hostile: ${key} (${cases} so far)\n`);
      const expected = AUTHORIZATION_MATRIX[key].trim().split(/\s+/);
      const caller = CALLERS[expected.indexOf('ok')];
      const fields = requestFields.get(key) ?? [];
      for (const special of specialCases(fields)) {
        if (process.env.HOSTILE_TRACE) process.stdout.write(`  ${special.label}\n`);
        for (const problem of await send(route, world.tokens[caller], special.contentType, special.payload, EXPECTED_REFUSALS[special.label])) problems.push(`${problem} (${special.label})`);
        // A case let through may have ended the caller's session (POST /auth/logout): the next one starts signed in.
        await world.renewTokens();
      }
      await fc.assert(
        fc.asyncProperty(bodies(fields), async (body) => {
          const found = await send(route, world.tokens[caller], 'application/json', JSON.stringify(body));
          await world.renewTokens();
          problems.push(...found.map((problem) => `${problem} with ${JSON.stringify(body).slice(0, 200)}`));
          return true;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261122 },
      );
      await world.renewTokens();
    }
    expect(problems).toEqual([]);
  });

  it('answers a route reached by a percent-encoded path exactly as the plain path, for every route and kind of caller', async () => {
    const problems: string[] = [];
    let compared = 0;
    const call = (route: Route, url: string, token: string | null) => {
      const request = t.http[route.method.toLowerCase() as 'get'](url);
      if (token) request.set(bearer(token));
      // A command's body: a key no text column can hold, refused before anything acts, so that both calls meet the same state.
      return route.method === 'GET' ? request : request.set('content-type', 'application/json').send('{"\\ud800": 1}');
    };
    for (const route of routeTable(t)) {
      const expected = AUTHORIZATION_MATRIX[`${route.method} ${route.path}`]?.trim().split(/\s+/) ?? [];
      const refused = CALLERS.filter((_, index) => expected[index] !== 'ok' && expected[index] !== '401');
      const callers: Caller[] = [CALLERS[expected.indexOf('ok')] ?? 'ADMIN', 'NO_TOKEN', 'FORGED', ...refused.slice(0, 2)];
      for (const caller of callers) {
        const plainUrl = await world.urlOf(route.path);
        for (const encodedUrl of encodedSpellings(plainUrl)) {
          const plain = await call(route, plainUrl, world.tokens[caller]);
          const encoded = await call(route, encodedUrl, world.tokens[caller]);
          compared += 1;
          const same = plain.status === encoded.status && (plain.status < 400 ? sameShape(plain.body, encoded.body) : JSON.stringify(plain.body) === JSON.stringify(encoded.body));
          if (!same) problems.push(`${route.method} ${encodedUrl} as ${caller}: ${encoded.status} ${encoded.text.slice(0, 120)}; plain ${plain.status} ${plain.text.slice(0, 120)}`);
        }
      }
      await world.renewTokens();
    }
    process.stdout.write(`hostile input: ${compared} encoded-path calls compared with their plain spelling\n`);
    expect(problems).toEqual([]);
  });
});
