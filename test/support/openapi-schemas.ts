import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';

type Json = Record<string, any>;

const DOCUMENT_ID = 'https://renfort.invalid/openapi.json';

/** ajv-formats is CommonJS: its plugin is the module itself or its default export, depending on the loader. */
const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv2020) => void;

/**
 * The schemas of an OpenAPI 3.1 document, checked with a JSON Schema 2020-12 validator (ajv),
 * the dialect OpenAPI 3.1 uses. Stricter than the document on one point: an object may carry
 * only the properties its schema lists (unless the schema says otherwise with
 * `additionalProperties`), so that a field the API sends and the document forgets is drift too.
 */
export class DocumentSchemas {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    // OpenAPI's own keywords (example, discriminator, xml, externalDocs) are not JSON Schema's.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const components = closeObjects(structuredClone({ components: { schemas: document.components?.schemas ?? {} } }));
    this.ajv.addSchema({ $id: DOCUMENT_ID, ...absoluteRefs(components) });
  }

  /** The ways `value` departs from `schema` (a schema of the document, or a $ref into it), with their paths. */
  problems(value: unknown, schema: Json, path = '$'): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(absoluteRefs(closeObjects(structuredClone(schema))));
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => {
      const where = `${path}${error.instancePath.replace(/\//g, '.')}`;
      const extra = error.keyword === 'unevaluatedProperties' ? ` (${(error.params as { unevaluatedProperty: string }).unevaluatedProperty})` : '';
      return `${where}: ${error.message}${extra} [${error.schemaPath}]`;
    });
  }
}

/** `#/components/...` as a reference into the document registered with the validator. */
function absoluteRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(absoluteRefs) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${DOCUMENT_ID}${value}` : absoluteRefs(value),
    ]),
  ) as T;
}

/** Every object schema that lists its properties, and says nothing of others, refuses others. */
function closeObjects<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return node;
  }
  if (!node || typeof node !== 'object') return node;
  const schema = node as Json;
  for (const [key, value] of Object.entries(schema)) {
    // Examples and enums are data, not schemas.
    if (key !== 'example' && key !== 'examples' && key !== 'enum' && key !== 'const' && key !== 'default') closeObjects(value);
  }
  if (schema.properties && typeof schema.properties === 'object' && !('additionalProperties' in schema) && !('unevaluatedProperties' in schema)) {
    schema.unevaluatedProperties = false;
  }
  return node;
}
