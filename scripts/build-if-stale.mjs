#!/usr/bin/env node
/**
 * Builds dist/ when it is missing or older than its sources, and only then. `npm start`,
 * `npm test` and the other scripts that run compiled code call it first, before anything of
 * theirs runs: a fresh clone builds once, an unchanged tree starts at once.
 *
 * The build goes to a directory of its own and replaces dist/ in one rename once it has
 * succeeded: a service already running from dist/ keeps the modules it loaded, and a build that
 * fails leaves the previous dist/ as it was.
 *
 * `--if-missing` builds only when there is no dist/ at all: the demo runs beside a service that is
 * already running from dist/, and never builds it again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY = path.join(DIST, 'src', 'main.js');
/** The newest source time the build in dist/ was made from. */
const STAMP = '.sources-mtime';
/** What tsconfig.build.json compiles and Vite builds (the web console, web/), and the settings that change their output. */
const SOURCES = ['src', 'config', 'migrations', 'bench', 'demo', 'scripts', 'web', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
/** Under .renfort/ (ignored by git), on the same file system as dist/ so that a rename moves it. */
const WORK = path.join(ROOT, '.renfort');

function newestSourceTime() {
  let newest = 0;
  const visit = (entry) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    // A directory's own time changes when a file in it is removed or renamed.
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(entry)) {
      // Unit tests are not compiled into dist/; declaration files (the console's generated API types) emit nothing.
      if (!name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) visit(path.join(entry, name));
    }
  };
  for (const source of SOURCES) visit(path.join(ROOT, source));
  return newest;
}

/** The time the current dist/ was built from; a dist/ built by `npm run build` counts from its entry file. */
function builtFrom() {
  if (!existsSync(ENTRY)) return null;
  const stamp = path.join(DIST, STAMP);
  if (existsSync(stamp)) return Number(readFileSync(stamp, 'utf8'));
  return statSync(ENTRY).mtimeMs;
}

function build(sourcesTime, reason) {
  const started = Date.now();
  process.stderr.write(`Building the service and its web console into dist/ (${reason}): about 30 s...\n`);
  const staging = path.join(WORK, `build-${process.pid}`);
  const previous = path.join(WORK, `dist-previous-${process.pid}`);
  mkdirSync(WORK, { recursive: true });
  rmSync(staging, { recursive: true, force: true });

  // `npm run build` (nest build) is this same compilation, but it empties dist/ first.
  const tsc = createRequire(path.join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', staging], { cwd: ROOT, stdio: 'inherit' });
  // The web console (`npm run web:build`), into the same staging folder: dist/web beside dist/src.
  const vite = path.join(path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('vite')), '..', '..', 'bin', 'vite.js');
  const built =
    result.status === 0 &&
    spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', path.join(staging, 'web'), '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    }).status === 0;
  if (!built) {
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write(existsSync(ENTRY) ? 'The build failed: dist/ is left as it was.\n' : 'The build failed.\n');
    process.exit(1);
  }
  writeFileSync(path.join(staging, STAMP), String(sourcesTime));

  if (existsSync(DIST)) renameSync(DIST, previous);
  renameSync(staging, DIST);
  rmSync(previous, { recursive: true, force: true });
  process.stderr.write(`Built in ${Math.round((Date.now() - started) / 1000)} s.\n`);
}

const ifMissing = process.argv.includes('--if-missing');
const built = builtFrom();
if (built === null) {
  build(newestSourceTime(), 'no build yet');
} else if (!ifMissing) {
  const sources = newestSourceTime();
  if (sources > built) build(sources, 'its sources changed since the last build');
}
