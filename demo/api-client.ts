import { randomUUID } from 'node:crypto';

/**
 * The demo talks to Renfort as any client would: HTTP and JSON under /api/v1, a bearer token
 * per user. Commands carry an Idempotency-Key that stays the same across the retries of one
 * call, so that retrying after a 429, a 503 or a dropped connection never acts twice.
 */

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 10;

/** The service answered with an error; `code` is the stable code of its error shape. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}${code ? ` ${code}` : ''}: ${body.slice(0, 500)}`);
  }
}

/** Nothing answers at the base URL. */
export class ServiceUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`Renfort is not reachable at ${baseUrl} (${describeCause(cause)})`);
  }
}

function describeCause(cause: unknown): string {
  const error = cause as { cause?: { code?: string; message?: string }; message?: string };
  return error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(cause);
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

type Method = 'GET' | 'POST' | 'PATCH';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiClient {
  /** Calls answered 429 and retried after the Retry-After the service asked for. */
  throttled = 0;

  constructor(readonly baseUrl: string) {}

  get<T>(path: string, token?: string): Promise<T> {
    return this.call<T>('GET', path, undefined, token);
  }

  post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.call<T>('POST', path, body ?? {}, token);
  }

  patch<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.call<T>('PATCH', path, body, token);
  }

  /** Every item of a paged list, 200 at a time. */
  async all<T>(path: string, token: string): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page += 1) {
      const separator = path.includes('?') ? '&' : '?';
      const answer = await this.get<Page<T>>(`${path}${separator}page=${page}&pageSize=200`, token);
      items.push(...answer.items);
      if (answer.items.length === 0 || items.length >= answer.total) return items;
    }
  }

  /** The body as text, for non-JSON answers (the report as CSV). */
  async text(path: string, token: string): Promise<string> {
    const response = await this.send('GET', path, undefined, token, undefined);
    const text = await response.text();
    if (response.status >= 300) throw new ApiError('GET', path, response.status, errorCode(text), text);
    return text;
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.post<{ accessToken: string }>('/api/v1/auth/login', { email, password })).accessToken;
  }

  private async call<T>(method: Method, path: string, body: unknown, token: string | undefined): Promise<T> {
    // POST commands are replayed by the service under the same key; logins are not commands.
    const key = method === 'POST' && token ? randomUUID() : undefined;
    const response = await this.send(method, path, body, token, key);
    const text = await response.text();
    if (response.status >= 300) throw new ApiError(method, path, response.status, errorCode(text), text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: Method, path: string, body: unknown, token: string | undefined, key: string | undefined): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        // A refused connection on the first call means no service; later, a dropped
        // connection is retried (a command under its key, so it acts once at most).
        if (attempt === 1 && isConnectionRefused(error)) throw new ServiceUnreachableError(this.baseUrl, error);
        if (attempt >= MAX_ATTEMPTS || (method !== 'GET' && !key)) throw new ServiceUnreachableError(this.baseUrl, error);
        await sleep(250 * attempt);
        continue;
      }
      if (attempt < MAX_ATTEMPTS && (await isRetryable(response))) {
        if (response.status === 429) this.throttled += 1;
        await sleep(retryDelayMs(response, attempt));
        continue;
      }
      return response;
    }
  }
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH';
}

/** 429 (throttled), 503 (overloaded or timed out, nothing committed), or a command still in flight under its key. */
async function isRetryable(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) {
    await response.body?.cancel();
    return true;
  }
  if (response.status !== 409) return false;
  if (errorCode(await response.clone().text()) !== 'IDEMPOTENCY.IN_FLIGHT') return false;
  await response.body?.cancel();
  return true;
}

function retryDelayMs(response: Response, attempt: number): number {
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  return Math.min(200 * 2 ** attempt, 5000);
}

function errorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `work` over the items with at most `concurrency` at a time, in order of the items. */
export async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}
