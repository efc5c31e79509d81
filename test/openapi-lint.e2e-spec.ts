import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { TestApp } from './support/test-app.js';

/** A problem on one line: rule, where, what. */
const line = (problem: NormalizedProblem) =>
  `${problem.ruleId} at ${problem.location.map((location) => location.pointer).join(', ')}: ${problem.message}`;

/**
 * The document the service serves, read by an independent linter: Redocly's own OpenAPI rules
 * (`recommended`: the structure of the specification, and the habits most tooling relies on).
 */
describe('OpenAPI document under an independent linter', () => {
  let t: TestApp;
  let problems: NormalizedProblem[];

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    // On top of the recommended set: every tag an operation uses is declared at the top, with a description.
    const config = await createConfig({ extends: ['recommended'], rules: { 'operation-tag-defined': 'error', 'tag-description': 'error' } });
    problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'renfort-openapi.json', config });
  });
  afterAll(async () => {
    await t.close();
  });

  it('passes Redocly\'s recommended rules without an error', () => {
    const warnings = problems.filter((problem) => problem.severity !== 'error');
    if (warnings.length > 0) process.stdout.write(`OpenAPI lint warnings (${warnings.length}):\n${warnings.map(line).join('\n')}\n`);
    expect(problems.filter((problem) => problem.severity === 'error').map(line)).toEqual([]);
  });
});
