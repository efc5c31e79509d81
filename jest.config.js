/** Unit tests sit next to the code (*.spec.ts); end-to-end tests live in test/ (*.e2e-spec.ts). */
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
  // The web console (web/) is built by Vite and tested in a browser (test/browser, Playwright), not by Jest.
  modulePathIgnorePatterns: ['<rootDir>/web/'],
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/config/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
      slowTestThreshold: 20,
    },
  ],
  testTimeout: 60000,
};
