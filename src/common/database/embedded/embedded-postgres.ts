import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { StartupError } from '../../startup-error.js';
import { SessionGate } from './session-gate.js';

/** `EMBEDDED_DATA_DIR=memory://` keeps the embedded database in memory (tests, throw-away runs). */
export const IN_MEMORY = 'memory://';

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;

/** Session settings every connection announces at start-up, as a server would. */
const SERVER_PARAMETERS: [string, string][] = [
  ['client_encoding', 'UTF8'],
  ['server_encoding', 'UTF8'],
  ['DateStyle', 'ISO, MDY'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
  ['TimeZone', 'UTC'],
];

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function startupAnswer(serverVersion: string, processId: number): Buffer {
  const authenticationOk = message('R', Buffer.from([0, 0, 0, 0]));
  const parameters = [...SERVER_PARAMETERS, ['server_version', serverVersion]].map(([name, value]) =>
    message('S', Buffer.concat([cString(name), cString(value)])),
  );
  const keyData = Buffer.alloc(8);
  keyData.writeInt32BE(processId, 0);
  keyData.writeInt32BE(0, 4);
  return Buffer.concat([authenticationOk, ...parameters, message('K', keyData), message('Z', Buffer.from('I'))]);
}

/** Splits backend output into its notifications and the rest, and reads its last transaction status. */
function sortOutput(output: Buffer): { reply: Buffer; notifications: Buffer[]; status: string | null } {
  const kept: Buffer[] = [];
  const notifications: Buffer[] = [];
  let status: string | null = null;
  let offset = 0;
  while (offset + 5 <= output.length) {
    const type = String.fromCharCode(output[offset]);
    const end = offset + 1 + output.readInt32BE(offset + 1);
    const whole = output.subarray(offset, end);
    if (type === 'A') notifications.push(whole);
    else kept.push(whole);
    if (type === 'Z') status = String.fromCharCode(output[offset + 5]);
    offset = end;
  }
  return { reply: Buffer.concat(kept), notifications, status };
}

/**
 * One client connection to the embedded database: a duplex stream that speaks the PostgreSQL
 * wire protocol to node-postgres, so TypeORM and BullMQ use the embedded database exactly as
 * they use a server (same driver, same type parsing). Messages run through the session gate.
 */
class EmbeddedConnection extends Duplex {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  private work: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly database: EmbeddedPostgres,
    readonly processId: number,
  ) {
    super();
  }

  // The socket surface node-postgres uses.
  connect(): this {
    setImmediate(() => this.emit('connect'));
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (const { startup, data } of this.takeMessages()) {
      this.work = this.work.then(() => (startup ? this.handleStartup(data) : this.handle(data)));
    }
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.work.then(() => this.shutDown()).then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.work.then(() => this.shutDown()).then(() => done(error), () => done(error));
  }

  /** Delivers a notification raised by any connection, as a server does to its listeners. */
  notify(notification: Buffer): void {
    if (!this.ended && !this.destroyed) this.push(notification);
  }

  /** Complete messages received so far; those before the start-up message carry no type byte. */
  private takeMessages(): { startup: boolean; data: Buffer }[] {
    const messages: { startup: boolean; data: Buffer }[] = [];
    for (;;) {
      const startup = !this.started;
      if (this.pending.length < (startup ? 8 : 5)) break;
      const length = startup ? this.pending.readInt32BE(0) : 1 + this.pending.readInt32BE(1);
      if (this.pending.length < length) break;
      const data = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      if (startup && data.readInt32BE(4) === PROTOCOL_3) this.started = true;
      messages.push({ startup, data });
    }
    return messages;
  }

  private async handle(incoming: Buffer): Promise<void> {
    if (this.ended) return;
    try {
      if (incoming[0] === 0x58 /* X: terminate */) {
        this.push(null);
        return;
      }
      const { reply, notifications, status } = await this.database.run(this, incoming);
      if (reply.length > 0) this.push(reply);
      this.database.broadcast(notifications);
      // A ReadyForQuery outside a transaction ends this connection's turn.
      if (status === 'I') this.database.gate.release(this);
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  private handleStartup(incoming: Buffer): void {
    if (this.ended) return;
    const code = incoming.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSS_REQUEST) this.push(Buffer.from('N'));
    else if (code === CANCEL_REQUEST) this.push(null);
    else if (code === PROTOCOL_3) this.push(startupAnswer(this.database.serverVersion, this.processId));
    else this.destroy(new Error(`unsupported protocol ${code}`));
  }

  private async shutDown(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.database.disconnect(this);
  }
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), running inside the service: nothing to install.
 * One process at a time may open a data directory; a lock file next to it says which.
 */
export class EmbeddedPostgres {
  readonly gate: SessionGate;
  serverVersion = '17';
  private readonly connections = new Set<EmbeddedConnection>();
  private nextProcessId = 1;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly db: PGlite,
    readonly dataDir: string,
    private readonly lockFile: string | null,
    waitLimitMs: number,
  ) {
    this.gate = new SessionGate(waitLimitMs);
  }

  /**
   * Opens (creating if needed) the database in `dataDir`, or in memory for `memory://`.
   * `sessionSql` sets the one session up once (e.g. its search_path), as a server's role settings would.
   */
  static async open(dataDir: string, options: { waitLimitMs?: number; sessionSql?: string } = {}): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === IN_MEMORY;
    const directory = inMemory ? dataDir : resolve(dataDir);
    const lockFile = inMemory ? null : takeLock(directory);
    try {
      if (!inMemory) mkdirSync(directory, { recursive: true });
      const db = await PGlite.create(inMemory ? undefined : directory);
      const database = new EmbeddedPostgres(db, directory, lockFile, options.waitLimitMs ?? 30_000);
      const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
      database.serverVersion = rows[0].server_version;
      if (options.sessionSql) await db.exec(options.sessionSql);
      return database;
    } catch (error) {
      if (lockFile) rmSync(lockFile, { force: true });
      if (error instanceof StartupError) throw error;
      throw new StartupError(`Cannot open the embedded database in ${directory} (EMBEDDED_DATA_DIR): ${(error as Error).message}`);
    }
  }

  /** A new client connection: give it to node-postgres as its `stream`. */
  connect(): Duplex {
    if (this.closing) throw new Error('the embedded database is closed');
    const connection = new EmbeddedConnection(this, this.nextProcessId++);
    this.connections.add(connection);
    return connection;
  }

  /** node-postgres options that reach the embedded database instead of a server. */
  clientOptions(): { stream: () => Duplex; host: string; database: string; user: string } {
    return { stream: () => this.connect(), host: 'embedded', database: 'postgres', user: 'postgres' };
  }

  /** Runs one protocol message for a connection, which holds the gate until its turn ends. */
  async run(connection: EmbeddedConnection, incoming: Buffer): Promise<ReturnType<typeof sortOutput>> {
    await this.gate.acquire(connection);
    const output = await this.db.runExclusive(() => this.db.execProtocolRaw(new Uint8Array(incoming)));
    return sortOutput(Buffer.from(output));
  }

  broadcast(notifications: Buffer[]): void {
    for (const notification of notifications) for (const connection of this.connections) connection.notify(notification);
  }

  /** A connection went away: anything it left open is rolled back and its turn given up. */
  async disconnect(connection: EmbeddedConnection): Promise<void> {
    this.connections.delete(connection);
    if (this.gate.isHeldBy(connection) && !this.closing) {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    }
    this.gate.forget(connection);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const connection of this.connections) connection.destroy();
      this.connections.clear();
      await this.db.close();
      if (this.lockFile) rmSync(this.lockFile, { force: true });
    })();
    return this.closing;
  }
}

/** Refuses a data directory another live process has open; takes over a dead process's lock. */
function takeLock(directory: string): string {
  const lockFile = join(dirname(directory), `${directory.split(/[\\/]/).at(-1)}.lock`);
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new StartupError(
          `The embedded database in ${directory} is in use by process ${holder}: stop it, or set EMBEDDED_DATA_DIR to another directory`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new StartupError(`Cannot lock the embedded database in ${directory}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
