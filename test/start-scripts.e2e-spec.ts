import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

/** What a start changes in dist/: its entry file's identity and time. */
const entry = () => {
  const stat = statSync('dist/src/main.js');
  return { inode: stat.ino, modified: stat.mtimeMs };
};
const buildIfStale = (...args: string[]) => spawnSync(process.execPath, ['scripts/build-if-stale.mjs', ...args], { encoding: 'utf8', timeout: 180_000 });

describe('Start scripts: dist/ built once, never again under a running service', () => {
  it('builds nothing when dist/ is as new as its sources, with or without --if-missing', () => {
    // The first call builds only if a source changed since the last build (npm test builds before).
    expect(buildIfStale().status).toBe(0);
    const built = entry();
    for (const args of [[], ['--if-missing']]) {
      const again = buildIfStale(...args);
      expect(again.status).toBe(0);
      expect(again.stderr).not.toMatch(/Building/);
      expect(entry()).toEqual(built);
    }
  });

  it('starts the service and the demo without rebuilding: start builds only when stale, the demo only when dist/ is missing', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prestart).toBe('node scripts/build-if-stale.mjs');
    expect(scripts.start).toBe('node dist/src/main.js');
    expect(scripts.demo).toBe('node scripts/build-if-stale.mjs --if-missing && node dist/demo/main.js');
    for (const [name, command] of Object.entries(scripts)) {
      if (name !== 'build') expect({ name, command }).toEqual({ name, command: expect.not.stringMatching(/npm run build|nest build/) });
    }
  });
});
