import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** The API's shapes, by their OpenAPI names (CrisisResponse, SessionResponse...). */
export type Schemas = components['schemas'];

/**
 * The only door to the API: typed by the OpenAPI document (schema.d.ts, `npm run api:types`).
 * Same origin, so the browser session's cookie goes with every call and the browser adds the
 * page's Origin to every POST, as the API asks of a request made with the cookie.
 */
export const api = createClient<paths>({ baseUrl: '' });

/** An answer of the API in its one error shape: `code` is what the console reads, never `message`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again (429 and 503 answers say it). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** The API could not be reached at all: the network, or a proxy answering in its place. */
export class ApiUnreachableError extends Error {
  constructor() {
    super('Le service Renfort est injoignable');
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an answer, or the ApiError it carries; a network failure is ApiUnreachableError. */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch {
    throw new ApiUnreachableError();
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { code?: unknown; message?: unknown };
  // A gateway's own page (the service behind it is down) has no code of ours.
  if (typeof body.code !== 'string') {
    if (response.status >= 502 && response.status <= 504) throw new ApiUnreachableError();
    throw new ApiError(response.status, `HTTP.${response.status}`, response.statusText);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(response.status, body.code, String(body.message ?? ''), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

export const isApiError = (error: unknown, code?: string): error is ApiError => error instanceof ApiError && (code === undefined || error.code === code);
