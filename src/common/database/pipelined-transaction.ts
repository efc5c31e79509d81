import pg from 'pg';
import type { DataSource } from 'typeorm';

/** One SQL statement and its parameters. */
export type Statement = readonly [sql: string, params?: readonly unknown[]];

export type Row = Record<string, any>;

/** The pool of the data source's connections (TypeORM's PostgreSQL driver keeps one, node-postgres'). */
export function connectionPool(db: DataSource): pg.Pool {
  return (db.driver as unknown as { master: pg.Pool }).master;
}

/**
 * A statement that each connection plans once, prepared under a name, rather than at every
 * execution. Not on the embedded database, whose connections share one session and so one
 * namespace of prepared statements.
 */
export function plannedOnce(db: DataSource, statement: { name: string; text: string }): { name?: string; text: string } {
  return (db.options as { url?: string }).url ? statement : { text: statement.text };
}

/**
 * A transaction on one pooled connection in two messages to PostgreSQL. The first (`begin`)
 * opens it and sends the reads a command decides on, one after the other as each is answered,
 * without waiting for a turn of the event loop. The second (`commit`) sends the
 * writes, the events and COMMIT as one text, so PostgreSQL runs them and commits without
 * waiting for the application: the locks they take, the audit chain's above all (taken when
 * the events are recorded), are held only while PostgreSQL works, never across a turn of a
 * busy event loop.
 */
export class PipelinedTransaction {
  private state: 'idle' | 'open' | 'ended' = 'idle';

  constructor(private readonly client: pg.PoolClient) {}

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Opens the transaction with these statements; answers the rows of each. */
  async begin(statements: Statement[]): Promise<Row[][]> {
    if (this.state !== 'idle') throw new Error('PipelinedTransaction: already begun');
    this.state = 'open';
    return (await this.send([['BEGIN'], ...statements])).slice(1);
  }

  /** Runs these statements and commits, in one message; answers the rows of each. Any failure leaves nothing written. */
  async commit(statements: Statement[]): Promise<Row[][]> {
    if (this.state !== 'open') throw new Error('PipelinedTransaction: not begun');
    const text = [...statements.map(([sql, params]) => inlineParameters(sql, params ?? [])), 'COMMIT'].join(';\n');
    const results = (await this.client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    this.state = 'ended';
    return (Array.isArray(results) ? results : [results]).slice(0, -1).map((result) => result.rows);
  }

  /**
   * One after the other, each sent as soon as the previous one is answered (its promise settles in
   * the socket's own callback, before any other I/O is looked at), never two queued on the
   * connection at once, which node-postgres no longer allows. The first failure is reported.
   */
  private async send(statements: Statement[]): Promise<Row[][]> {
    const rows: Row[][] = [];
    for (const [sql, params] of statements) rows.push((await this.client.query(sql, params as unknown[] | undefined)).rows);
    return rows;
  }
}

/** Runs the work in a pipelined transaction, which it must commit; rolls back on any failure. */
export async function inPipelinedTransaction<T>(db: DataSource, work: (tx: PipelinedTransaction) => Promise<T>): Promise<T> {
  const client = await connectionPool(db).connect();
  let broken: Error | undefined;
  try {
    const tx = new PipelinedTransaction(client);
    const result = await work(tx);
    if (tx.isOpen) throw new Error('PipelinedTransaction: the work ended without committing');
    return result;
  } catch (error) {
    // Once COMMIT was answered this is a no-op; a connection that cannot even roll back is dropped.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** An element of an array literal: quoted, with its quotes and backslashes escaped. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** One parameter as an SQL literal; the statement's own casts give it its type. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sqlLiteral: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map(arrayElement).join(',')}}`);
  if (typeof value === 'object') return pg.escapeLiteral(JSON.stringify(value));
  return pg.escapeLiteral(String(value));
}

/**
 * The statement with its `$n` parameters written as escaped literals, so that several
 * statements can travel in one message (the simple query protocol takes no parameters).
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= params.length) throw new Error(`inlineParameters: $${n} has no value`);
    return sqlLiteral(params[index]);
  });
}
