import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/*
 * The load generator of the responses benchmark, run in a worker thread so that it does not
 * share the application's event loop: autocannon keeps `connections` keep-alive connections
 * busy, each answering request after request as its member would, acknowledge then accept.
 * It records the outcome of every answer and tells the main thread when the load started.
 */

export const RESPONSE_ACTIONS = ['acknowledge', 'accept'] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

export interface LoadPlan {
  baseUrl: string;
  connections: number;
  /** The load stops after this long even if some requests were not answered yet. */
  maxSeconds: number;
  timeoutSeconds: number;
  tokens: string[];
  /** The requests in the order they are taken, and the index in `tokens` of their member's user. */
  requestIds: string[];
  tokenOf: number[];
}

/** One action over every request, indexed like `LoadPlan.requestIds`. */
export interface ActionOutcomes {
  sent: Uint8Array;
  /** HTTP status; 0 when sent but never answered (a timeout, or still in flight when the load stopped). */
  status: Uint16Array;
  latencyMs: Float64Array;
  /** When each answer came, in ms from the start of the load. */
  answeredAtMs: Float64Array;
  /** The error `code` of every answer other than 200, by request index. */
  codes: Map<number, string>;
}

export interface LoadResult {
  outcomes: Record<ResponseAction, ActionOutcomes>;
  elapsedMs: number;
  /** Answers received in each second of the load. */
  perSecond: number[];
  stoppedByTime: boolean;
  /** autocannon's own counts: connection errors (timeouts included) and timeouts. */
  errors: number;
  timeouts: number;
}

export type LoadMessage = { kind: 'started' } | { kind: 'done'; result: LoadResult };

function emptyOutcomes(count: number): ActionOutcomes {
  return { sent: new Uint8Array(count), status: new Uint16Array(count), latencyMs: new Float64Array(count), answeredAtMs: new Float64Array(count), codes: new Map() };
}

function errorCode(body: string): string {
  try {
    return String((JSON.parse(body) as { code?: unknown }).code ?? 'no code');
  } catch {
    return 'unreadable body';
  }
}

async function run(plan: LoadPlan, onStart: () => void): Promise<LoadResult> {
  const count = plan.requestIds.length;
  const outcomes = { acknowledge: emptyOutcomes(count), accept: emptyOutcomes(count) };
  const sentAt = { acknowledge: new Float64Array(count), accept: new Float64Array(count) };
  const perSecond: number[] = [];
  let next = 0;
  let stoppedByTime = false;
  const origin = performance.now();

  // Each connection cycles through these two requests. The acknowledgement takes the next
  // request of the plan and keeps its index in the connection's context, which autocannon
  // clears before each new cycle; the acceptance answers the same request. Every connection
  // is given an even share of `amount`, so together they take each request exactly once.
  const requests: autocannon.Request[] = RESPONSE_ACTIONS.map((action) => ({
    method: 'POST',
    setupRequest: (request, context) => {
      const cycle = context as { item?: number };
      if (action === 'acknowledge') {
        if (next >= count) throw new Error('response-load: a connection asked for more requests than the plan holds');
        cycle.item = next++;
      }
      const item = cycle.item!;
      outcomes[action].sent[item] = 1;
      sentAt[action][item] = performance.now();
      return {
        ...request,
        path: `/api/v1/mobilizations/${plan.requestIds[item]}/${action}`,
        headers: { ...request.headers, authorization: `Bearer ${plan.tokens[plan.tokenOf[item]]}` },
      };
    },
    onResponse: (status, body, context) => {
      const item = (context as { item: number }).item;
      const now = performance.now();
      const outcome = outcomes[action];
      outcome.status[item] = status;
      outcome.latencyMs[item] = now - sentAt[action][item];
      outcome.answeredAtMs[item] = now - origin;
      if (status !== 200) outcome.codes.set(item, errorCode(body));
      const second = Math.floor((now - origin) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    },
  }));

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.baseUrl,
        connections: plan.connections,
        amount: 2 * count,
        timeout: plan.timeoutSeconds,
        headers: { 'content-type': 'application/json' },
        body: '{}',
        requests,
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('start', onStart);
    setTimeout(() => {
      stoppedByTime = true;
      instance.stop();
    }, plan.maxSeconds * 1000).unref();
  });

  for (let second = 0; second < perSecond.length; second += 1) perSecond[second] ??= 0;
  return { outcomes, elapsedMs: performance.now() - origin, perSecond, stoppedByTime, errors: result.errors, timeouts: result.timeouts };
}

if (parentPort) {
  const port = parentPort;
  // A failure rejects unhandled, which ends the worker with an 'error' the main thread reports.
  void run(workerData as LoadPlan, () => port.postMessage({ kind: 'started' } satisfies LoadMessage)).then((result) =>
    port.postMessage({ kind: 'done', result } satisfies LoadMessage),
  );
}
