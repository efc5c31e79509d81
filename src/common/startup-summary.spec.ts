import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { Backends } from './backends.js';
import { listeningSummary, localBaseUrl, servesWebConsole, serviceVersion } from './startup-summary.js';

const backends = { databaseDescription: 'PostgreSQL at db:5432/renfort', queueDescription: 'Redis at redis:6379', trialMode: false } as Backends;
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('The start-up summary', () => {
  it('names the addresses, the backends and the version in one line', () => {
    const summary = listeningSummary(localBaseUrl({ address: '0.0.0.0', family: 'IPv4', port: 3000 }), backends, { apiPrefix: 'api/v1', webConsole: false });
    expect(summary.msg).toBe(
      `Renfort ${VERSION} listening on http://localhost:3000: API http://localhost:3000/api/v1, API docs http://localhost:3000/api/docs; ` +
        'data in PostgreSQL at db:5432/renfort, queues in Redis at redis:6379',
    );
    expect(summary).not.toHaveProperty('console');
  });

  it('says first, on the same line, that the embedded mode is not for production', () => {
    const embedded = { databaseDescription: 'embedded PostgreSQL in /data', queueDescription: 'PostgreSQL (schema bullmq)', trialMode: true } as Backends;
    const summary = listeningSummary('http://localhost:3000', embedded, { apiPrefix: 'api/v1', webConsole: false });
    expect(summary.msg).toMatch(/^EMBEDDED MODE, NOT FOR PRODUCTION \(set DATABASE_URL and REDIS_URL for servers\): Renfort /);
    expect(listeningSummary('http://localhost:3000', backends, { apiPrefix: 'api/v1', webConsole: false }).msg).not.toContain('EMBEDDED');
  });

  it('names the web console first once it is served', () => {
    const summary = listeningSummary('http://localhost:3000', backends, { apiPrefix: 'api/v1', webConsole: true });
    expect(summary.msg).toContain('listening on http://localhost:3000: web console http://localhost:3000/, API ');
    expect(summary.console).toBe('http://localhost:3000/');
  });

  it('sees the web console when a route serves /', async () => {
    const bare = Fastify();
    const withConsole = Fastify();
    withConsole.get('/*', async () => 'console');
    await Promise.all([bare.ready(), withConsole.ready()]);
    expect([servesWebConsole(bare), servesWebConsole(withConsole)]).toEqual([false, true]);
    await Promise.all([bare.close(), withConsole.close()]);
  });

  it("reads the version from the project's package.json", () => {
    expect(serviceVersion()).toBe(VERSION);
  });
});
