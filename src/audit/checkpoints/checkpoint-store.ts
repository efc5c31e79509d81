import { Injectable } from '@nestjs/common';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppConfig } from '../../../config/app-config.js';
import type { SignedCheckpoint } from '../domain/checkpoint.js';
import { type CheckpointFileContents, readCheckpointLines } from './checkpoint-lines.js';

/** A row of audit_checkpoint. */
interface CheckpointRow {
  sequence: string;
  hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

/** Anything that answers rows: a data source, an entity manager. */
interface RowQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export const CHECKPOINT_COLUMNS = `sequence, hash, signed_at, key_id, signature`;

export function toSignedCheckpoint(row: CheckpointRow): SignedCheckpoint {
  return { sequence: Number(row.sequence), hash: row.hash, signedAt: row.signed_at.toISOString(), keyId: row.key_id, signature: row.signature };
}

/** The checkpoints the verification of the chain compares it with: the latest of each source. */
export const CHECKPOINTS_COMPARED = 1000;

/**
 * Where checkpoints are kept: the audit_checkpoint table, and the file outside the database
 * (AUDIT_CHECKPOINT_FILE), appended to, one JSON object a line.
 */
@Injectable()
export class CheckpointStore {
  constructor(private readonly config: AppConfig) {}

  get file(): string | null {
    return this.config.auditCheckpoint.file;
  }

  /** The latest checkpoints, of every key or of one. */
  async latest(db: RowQueryable, limit = CHECKPOINTS_COMPARED, keyId?: string): Promise<SignedCheckpoint[]> {
    const rows = (await (keyId === undefined
      ? db.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY sequence DESC LIMIT ${limit}`)
      : db.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE key_id = $1 ORDER BY sequence DESC LIMIT ${limit}`, [keyId]))) as CheckpointRow[];
    return rows.map(toSignedCheckpoint);
  }

  /** Records a checkpoint; false when one of the same key already holds that sequence. */
  async insert(db: RowQueryable, checkpoint: SignedCheckpoint): Promise<boolean> {
    const inserted = (await db.query(
      `INSERT INTO audit_checkpoint (sequence, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sequence, key_id) DO NOTHING RETURNING sequence`,
      [checkpoint.sequence, checkpoint.hash, checkpoint.signedAt, checkpoint.keyId, checkpoint.signature],
    )) as unknown[];
    return inserted.length === 1;
  }

  async appendToFile(checkpoint: SignedCheckpoint): Promise<void> {
    if (!this.file) return;
    await mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(checkpoint)}\n`, { encoding: 'utf8', mode: 0o640 });
  }

  /** The file's latest checkpoints (its last lines); none when there is no file yet. */
  async readFile(limit = CHECKPOINTS_COMPARED): Promise<CheckpointFileContents> {
    if (!this.file) return { checkpoints: [], unreadableLines: 0 };
    return readCheckpointLines(this.file, limit);
  }
}
