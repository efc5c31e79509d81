import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the official OASIS EDXL-RM 1.0 schemas (EDXL-RM<Type>.xsd and the schemas they
 * import): EDXL_RM_SCHEMA_DIR, else the shared standards folder next to the repository. Missing,
 * it is an error that says where it looked: a schema test that cannot validate must not pass.
 */
export function edxlRmSchemaDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = process.env.EDXL_RM_SCHEMA_DIR || join(repo, '..', 'shared', 'standards', 'edxl-rm-1.0', 'edxl-rm', '1.0');
  const probe = join(dir, 'EDXL-RMRequestResource.xsd');
  if (!existsSync(probe)) {
    throw new Error(
      `The OASIS EDXL-RM 1.0 schemas are not found: looked for ${probe} ` +
        `(${process.env.EDXL_RM_SCHEMA_DIR ? 'EDXL_RM_SCHEMA_DIR' : 'EDXL_RM_SCHEMA_DIR is unset; default'}). ` +
        'Set EDXL_RM_SCHEMA_DIR to the folder holding EDXL-RM<Type>.xsd.',
    );
  }
  return dir;
}

/** The problems xmllint finds validating `xml` against the schema of its message type; none when valid. */
export function schemaProblems(dir: string, type: string, xml: string): string[] {
  const schema = join(dir, `EDXL-RM${type}.xsd`);
  if (!existsSync(schema)) return [`no schema ${schema} for message type ${type}`];
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint could not run (${run.error.message}); install libxml2-utils`);
  if (run.status === 0) return [];
  return run.stderr.split('\n').filter((line) => line.trim() && !/validates$/.test(line));
}
