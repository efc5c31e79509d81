import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Backends } from './backends.js';

/** Where configureApp (app.factory.ts) serves the OpenAPI UI. */
export const API_DOCS_PATH = '/api/docs';

/** What an operator needs from a start-up, in one line: where to go, on what data, which build. */
export interface StartupSummary {
  msg: string;
  version: string;
  api: string;
  docs: string;
  console?: string;
  database: string;
  queues: string;
}

/**
 * The web console (DESIGN.md: `web/`, served at `/`) is named in the listening line as soon as
 * a route serves `/`: the module that serves it needs nothing else to appear there.
 */
export function servesWebConsole(instance: FastifyInstance): boolean {
  return instance.hasRoute({ method: 'GET', url: '/' }) || instance.hasRoute({ method: 'GET', url: '/*' });
}

/** The base URL a person on this machine opens: the service listens on every interface. */
export function localBaseUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') return `http://localhost`;
  return `http://localhost:${address.port}`;
}

/** Said first on the start-up line, which is then a warning: set DATABASE_URL and REDIS_URL for servers. */
function trialWarning(backends: Pick<Backends, 'trialMode'>): string {
  return backends.trialMode ? 'EMBEDDED MODE, NOT FOR PRODUCTION (set DATABASE_URL and REDIS_URL for servers): ' : '';
}

/** `apiPrefix`: app.factory.ts's API_PREFIX, passed in so that this stays free of the application's modules. */
export function listeningSummary(baseUrl: string, backends: Backends, options: { apiPrefix: string; webConsole: boolean }): StartupSummary {
  const version = serviceVersion();
  const api = `${baseUrl}/${options.apiPrefix}`;
  const docs = `${baseUrl}${API_DOCS_PATH}`;
  const console = options.webConsole ? `${baseUrl}/` : undefined;
  const addresses = [...(console ? [`web console ${console}`] : []), `API ${api}`, `API docs ${docs}`].join(', ');
  return {
    msg: `${trialWarning(backends)}Renfort ${version} listening on ${baseUrl}: ${addresses}; data in ${backends.databaseDescription}, queues in ${backends.queueDescription}`,
    version,
    api,
    docs,
    ...(console ? { console } : {}),
    database: backends.databaseDescription,
    queues: backends.queueDescription,
  };
}

export function workerSummary(backends: Backends): Pick<StartupSummary, 'msg' | 'version' | 'database' | 'queues'> {
  const version = serviceVersion();
  return {
    msg: `${trialWarning(backends)}Renfort worker ${version} running the queue processors and the outbox relay; data in ${backends.databaseDescription}, queues in ${backends.queueDescription}`,
    version,
    database: backends.databaseDescription,
    queues: backends.queueDescription,
  };
}

let version: string | undefined;

/** package.json's version, found upwards from this file: it runs from src/ in tests and from dist/src/ when built. */
export function serviceVersion(): string {
  if (version) return version;
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'renfort' && manifest.version) return (version = manifest.version);
    }
    const parent = path.dirname(directory);
    if (parent === directory) return (version = 'unknown');
    directory = parent;
  }
}
