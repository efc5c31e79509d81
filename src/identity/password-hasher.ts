import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { BoundedSemaphore, SemaphoreFullError } from '../common/concurrency/bounded-semaphore.js';
import { DomainError } from '../common/errors/domain-error.js';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  const N = 2 ** cost;
  const options: ScryptOptions = { N, r: BLOCK_SIZE, p: PARALLELISM, maxmem: 256 * N * BLOCK_SIZE };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Every password check is taken, and the queue for them is full: the client retries later. */
export class PasswordHashingBusyError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('SERVICE_UNAVAILABLE', 'AUTH.BUSY', `Too many sign-ins are being checked; retry in ${retryAfterSeconds} s`);
  }
}

/**
 * scrypt, a memory-hard KDF (cost 16 = 64 MiB per hash by default). The parameters are
 * stored with each hash, so raising the cost later keeps old hashes verifiable.
 * Format: scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>.
 *
 * scrypt runs on libuv's thread pool, shared with DNS look-ups and file reads: every hash, a
 * verification, and the decoy verification of an unknown email alike (so that both answer the
 * same, busy or not) takes one of a few slots, leaving the rest of the pool to the others.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private readonly decoy: Promise<string>;
  private readonly slots: BoundedSemaphore;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.cost = config.passwordHashCost;
    this.slots = new BoundedSemaphore(config.passwordHashing.concurrency, config.passwordHashing.queue);
    this.decoy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.derive(password, salt, this.cost);
    return ['scrypt', this.cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, cost, , , salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64');
    const actual = await this.derive(password, Buffer.from(salt, 'base64'), Number(cost));
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** Spends the time of one verification, so that an unknown email answers as slowly as a known one. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(password, await this.decoy);
    return false;
  }

  private async derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
    try {
      return await this.slots.run(() => derive(password, salt, cost));
    } catch (error) {
      if (error instanceof SemaphoreFullError) throw new PasswordHashingBusyError(Math.max(1, Math.ceil(error.expectedWaitMs / 1000)));
      throw error;
    }
  }
}
