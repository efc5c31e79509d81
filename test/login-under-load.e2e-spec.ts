import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ADMIN, TestApp } from './support/test-app.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/** Cost 15 (32 MiB, about 0.2 s a hash alone on this machine): enough that a flood of wrong passwords hurts. */
const HASH_COST = '15';
const ATTACKERS = 60;
const EMAIL_LIMIT = 4;

describe('Sign-in under a flood of wrong passwords', () => {
  let t: TestApp;
  let port: number;

  /** A sign-in over its own connection from a chosen loopback address: the service sees it as request.ip. */
  const logIn = (email: string, password: string, from = '127.0.0.1') =>
    new Promise<Answer>((resolve, reject) => {
      const payload = JSON.stringify({ email, password });
      const outgoing = request(
        {
          host: '127.0.0.1',
          port,
          localAddress: from,
          agent: false,
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });

  beforeAll(async () => {
    // The default hashing slots and queue: the figures printed are those of a default service.
    t = await TestApp.start({ env: { PASSWORD_HASH_COST: HASH_COST, LOGIN_THROTTLE_EMAIL_LIMIT: String(EMAIL_LIMIT) } });
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps a real sign-in and DNS look-ups prompt, and refuses the overflow with 503 and Retry-After', async () => {
    const run = randomUUID().slice(0, 8);
    const attack = Array.from({ length: ATTACKERS }, (_, i) => logIn(`nobody-${run}-${i}@renfort.test`, 'wrong password'));
    // Let the whole flood reach the password checks before measuring.
    await sleep(1000);

    const timedLookup = async () => {
      const start = performance.now();
      await lookup('localhost');
      return performance.now() - start;
    };
    const timedSignIn = async () => {
      const start = performance.now();
      let answer = await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
      const first = { status: answer.status, ms: performance.now() - start };
      // As a client would: a busy answer is retried once its Retry-After has passed.
      for (let retry = 0; answer.status === 503 && retry < 3; retry += 1) {
        await sleep(Number(answer.headers['retry-after']) * 1000);
        answer = await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
      }
      return { first, answer, signedInMs: performance.now() - start };
    };
    const [lookupMs, { first, answer, signedInMs }] = await Promise.all([timedLookup(), timedSignIn()]);

    const answers = await Promise.all(attack);
    const refused = answers.filter((a) => a.status === 503);
    process.stdout.write(
      `login under load (cost ${HASH_COST}, ${ATTACKERS} wrong passwords): DNS look-up ${lookupMs.toFixed(0)} ms; ` +
        `real sign-in first answer ${first.status} in ${first.ms.toFixed(0)} ms, signed in after ${signedInMs.toFixed(0)} ms; ` +
        `attackers: ${answers.length - refused.length} checked (401), ${refused.length} refused (503, Retry-After ${refused[0]?.headers['retry-after'] ?? '-'} s)\n`,
    );

    expect(lookupMs).toBeLessThan(1000);
    expect(first.ms).toBeLessThan(5000);
    expect(answer.status).toBe(200);
    // Signed in once the flood has drained, as its Retry-After said; how long depends on the machine's load (printed above).
    expect(signedInMs).toBeLessThan(60000);
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    for (const busy of refused) {
      expect(busy.body).toEqual({ statusCode: 503, error: 'Service Unavailable', code: 'AUTH.BUSY', message: expect.any(String) });
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('throttles one account attacked from many addresses, counting its email across them', async () => {
    const run = randomUUID().slice(0, 8);
    const target = `target-${run}@renfort.test`;
    const statuses: number[] = [];
    let last: Answer | undefined;
    // One attempt per address: no per-address counter comes near its limit.
    for (let attempt = 0; attempt <= EMAIL_LIMIT; attempt += 1) {
      last = await logIn(attempt % 2 === 0 ? target : target.toUpperCase(), `guess-${attempt}`, `127.0.0.${10 + attempt}`);
      statuses.push(last.status);
    }

    expect(statuses).toEqual([...Array<number>(EMAIL_LIMIT).fill(401), 429]);
    expect(last!.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMIT.EXCEEDED' });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another account, from an address already used, is still checked.
    expect((await logIn(`other-${run}@renfort.test`, 'guess', '127.0.0.10')).status).toBe(401);
  });
});
