import { defineConfig } from '@playwright/test';

/**
 * The web console in a real browser (Debian's Chromium), against the compiled service on its own
 * PostgreSQL database and the test Redis (test/browser/support/global-setup.ts). `npm test` runs
 * it after the Jest suites; `npm run test:browser` alone. Screenshots go to reports/browser/.
 */
export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.journey.ts',
  globalSetup: './test/browser/support/global-setup.ts',
  outputDir: 'reports/browser/results',
  reporter: [['list']],
  // Journeys make their own users and crises: they run side by side, one browser each.
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
