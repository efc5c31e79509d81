import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web console (web/, built by Vite into dist/web) served at `/` by the service itself: one
 * process, one origin, so the console's browser session and its same-origin checks need nothing
 * more. Files are listed once at start-up; any other path that is not the API's is a page of the
 * console's own router, answered with index.html.
 */

/** Paths that are never the console's: an unknown one keeps the API's JSON 404. */
const NOT_CONSOLE = /^\/(api|admin|health)(\/|$)/;
/** Vite names every file under assets/ by a hash of its content: it can be kept for ever. */
const HASHED_ASSETS = '/assets/';
const LONG_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: the browser asks again every time. */
const NO_CACHE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

interface ConsoleFile {
  file: string;
  size: number;
  contentType: string;
}

/** dist/web, found from the package root: the service runs from dist/src when built and from src/ in tests. */
export function webConsoleDirectory(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(directory, 'package.json'))) return path.join(directory, 'dist', 'web');
    const parent = path.dirname(directory);
    if (parent === directory) return path.resolve('dist', 'web');
    directory = parent;
  }
}

function listFiles(root: string): Map<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.isFile()) {
        const url = `/${path.relative(root, file).split(path.sep).join('/')}`;
        files.set(url, { file, size: statSync(file).size, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
      }
    }
  };
  visit(root);
  return files;
}

/**
 * Serves the console when it was built; answers whether it does. Without a build (an API-only
 * deployment, or tests run before `npm run build`), `/` stays unrouted and the API is unchanged.
 */
export function serveWebConsole(fastify: FastifyInstance, root = webConsoleDirectory()): boolean {
  if (!existsSync(path.join(root, 'index.html'))) return false;
  const files = listFiles(root);
  const index = files.get('/index.html')!;

  const send = (reply: FastifyReply, file: ConsoleFile, cacheControl: string) =>
    reply.header('content-type', file.contentType).header('content-length', file.size).header('cache-control', cacheControl).send(createReadStream(file.file));

  const answer = (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = decodeURIComponentSafely(request.url.split('?')[0]);
    if (pathname === null || NOT_CONSOLE.test(pathname)) return reply.callNotFound();
    const file = files.get(pathname);
    if (file) return send(reply, file, pathname.startsWith(HASHED_ASSETS) ? LONG_CACHE : NO_CACHE);
    // A file that is not there (an asset of an older build) is a 404, never a page: a script must not receive HTML.
    if (pathname.startsWith(HASHED_ASSETS) || path.posix.extname(pathname) !== '') return reply.callNotFound();
    return send(reply, index, NO_CACHE);
  };
  fastify.get('/', answer);
  fastify.get('/*', answer);
  return true;
}

function decodeURIComponentSafely(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
