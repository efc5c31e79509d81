import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test as base, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serviceUrl } from './accounts.js';

/** Where each journey's screenshots are kept (reports/ is ignored by git). */
const SCREENSHOTS = path.resolve('reports', 'browser', 'screenshots');

/** A page of the console, with what every journey checks of it. */
export interface ConsolePage {
  page: Page;
  /**
   * Once a page of the journey is on screen: a screenshot saved as an artefact, and the axe audit
   * (WCAG 2.1 AA rules), which must find no serious or critical violation.
   */
  check(name: string): Promise<void>;
  /** A journey that leaves the console on purpose (to the OpenID provider's own pages) names where. */
  allowOrigin(url: string): void;
}

/**
 * The browser of a journey: on the service under test; every request the console's pages make is
 * kept, and must go to the service's own origin (the console loads nothing from other hosts), or
 * to an origin the journey leaves for on purpose; no error may reach the browser's console on the
 * console's pages (a script or a style the security policy refused would show there).
 */
export const test = base.extend<{ console: ConsolePage }>({
  baseURL: async ({}, use) => use(serviceUrl()),
  console: async ({ page }, use, testInfo) => {
    const origins = new Set([new URL(serviceUrl()).origin]);
    const elsewhere: string[] = [];
    const errors: string[] = [];
    const onConsole = (url: string) => url === 'about:blank' || new URL(url).origin === new URL(serviceUrl()).origin;
    page.on('request', (request) => {
      const url = request.url();
      // What another site's page asks for (the provider's own sign-out page) is that site's business.
      if (!request.isNavigationRequest() && !onConsole(request.frame().url())) return;
      if (!url.startsWith('data:') && !url.startsWith('blob:') && !origins.has(new URL(url).origin)) elsewhere.push(url);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && onConsole(page.url()) && !expectedError(message.text())) errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use({ page, check: (name) => checkPage(page, testInfo, name), allowOrigin: (url) => void origins.add(new URL(url).origin) });
    expect(elsewhere, 'requests that left the service').toEqual([]);
    expect(errors, 'errors in the browser console').toEqual([]);
  },
});

export { expect };

/** The browser reports every answer in 4xx; those a journey provokes (a wrong password) are expected. */
function expectedError(text: string): boolean {
  return /Failed to load resource: the server responded with a status of 4\d\d/.test(text) || /net::ERR_FAILED|net::ERR_CONNECTION_REFUSED|net::ERR_INTERNET_DISCONNECTED/.test(text);
}

async function checkPage(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Chargement' })).toHaveCount(0);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${slug(testInfo.title)}--${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  const audit = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = audit.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility of « ${name} »`).toEqual([]);
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
