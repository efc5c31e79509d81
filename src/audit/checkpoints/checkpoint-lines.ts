import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkpointShapeProblem, type SignedCheckpoint } from '../domain/checkpoint.js';

/*
 * Reading checkpoint files, with nothing of the service: the offline verifier uses it too.
 */

/** What a checkpoint file held: its latest checkpoints, and how many of its lines were not checkpoints. */
export interface CheckpointFileContents {
  checkpoints: SignedCheckpoint[];
  unreadableLines: number;
}

/** Reads a file of checkpoints, one JSON object a line, keeping its last `limit` checkpoints. */
export async function readCheckpointLines(file: string, limit = Number.POSITIVE_INFINITY): Promise<CheckpointFileContents> {
  const checkpoints: SignedCheckpoint[] = [];
  let unreadableLines = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      const checkpoint = parseCheckpoint(line);
      if (!checkpoint) {
        unreadableLines += 1;
        continue;
      }
      checkpoints.push(checkpoint);
      if (checkpoints.length > limit) checkpoints.shift();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], unreadableLines: 0 };
    throw error;
  } finally {
    stream.destroy();
  }
  return { checkpoints, unreadableLines };
}

export function parseCheckpoint(line: string): SignedCheckpoint | null {
  try {
    return toCheckpoint(JSON.parse(line));
  } catch {
    return null;
  }
}

/** The checkpoint's own fields, or null when the value is not a checkpoint. */
export function toCheckpoint(value: unknown): SignedCheckpoint | null {
  if (checkpointShapeProblem(value)) return null;
  const c = value as SignedCheckpoint;
  return { sequence: c.sequence, hash: c.hash, signedAt: c.signedAt, keyId: c.keyId, signature: c.signature };
}
