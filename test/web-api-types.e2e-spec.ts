import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, apiTypesSource } from '../scripts/api-types.js';
import { TestApp } from './support/test-app.js';

describe('Web console types: generated from the OpenAPI document the API serves', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('checks in the types of the document the API serves now (run npm run api:types)', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body;
    const generated = await apiTypesSource(document);
    const checkedIn = readFileSync(API_TYPES_FILE, 'utf8');
    // One line of difference is enough to know; the message says what to do.
    const differs = generated !== checkedIn;
    expect(differs ? `${API_TYPES_FILE} differs from the API's document: run npm run api:types` : 'up to date').toBe('up to date');
  });
});
