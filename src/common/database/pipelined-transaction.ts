import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** One SQL statement and its parameters. */
export type Statement = readonly [sql: string, params?: readonly unknown[]];

export type Row = Record<string, any>;

/** The pool of the data source's connections (TypeORM's PostgreSQL driver keeps one, node-postgres'). */
export function connectionPool(db: DataSource): pg.Pool {
  return (db.driver as unknown as { master: pg.Pool }).master;
}

/**
 * A transaction on one pooled connection whose statements go out in batches: node-postgres
 * queues a batch and sends each statement as soon as PostgreSQL has answered the one before,
 * from the connection's own socket callback, never behind other work of the event loop. A
 * command reads what it decides on in one batch (with BEGIN) and writes, records its events
 * and commits in a second, so that the row locks it takes are held for one round trip to the
 * application instead of one per statement: what keeps contended rows (a requirement that
 * many members accept at once) moving under load.
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

  /** Runs these statements and commits; answers the rows of each. Any failure leaves nothing written. */
  async commit(statements: Statement[]): Promise<Row[][]> {
    if (this.state !== 'open') throw new Error('PipelinedTransaction: not begun');
    const rows = await this.send([...statements, ['COMMIT']]);
    this.state = 'ended';
    return rows.slice(0, -1);
  }

  /**
   * After a failed statement PostgreSQL refuses the rest of the batch and answers COMMIT with
   * a rollback: the first failure is the one reported.
   */
  private async send(statements: Statement[]): Promise<Row[][]> {
    const settled = await Promise.allSettled(statements.map(([sql, params]) => this.client.query(sql, params as unknown[] | undefined)));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<pg.QueryResult>).value.rows);
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
