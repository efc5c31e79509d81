import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/web, beside the compiled service that serves it at `/`.
 * `--outDir` overrides it when the build goes to a staging folder (scripts/build-if-stale.mjs).
 * JSX is compiled by Vite's own transformer (Oxc) with React's automatic runtime.
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    // Fonts and icons stay files served by the service: nothing is inlined as data URLs but small images.
    assetsInlineLimit: 4096,
    rolldownOptions: {
      // react-dsfr marks its modules "use client" for Next.js; that means nothing in a single-page build.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      checks: { pluginTimings: false },
      // React changes less often than the console: apart, it stays in the browser's cache across releases.
      // The DSFR stays with the console: its script expects the settings react-dsfr sets before it runs.
      output: {
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `npm run web:dev`: the console with live reload, calling the service started by `npm run start:dev`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
