import { createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readCheckpointLines, toCheckpoint } from '../src/audit/checkpoints/checkpoint-lines.js';
import {
  checkpointShapeProblem,
  CheckpointWitness,
  describeContradiction,
  keyIdOf,
  type SignedCheckpoint,
  sortBySignature,
} from '../src/audit/domain/checkpoint.js';
import { checkLink, GENESIS_HASH, type SealedEvent } from '../src/audit/domain/hash-chain.js';

/*
 * The offline verifier of the audit log: checks an export (GET /api/v1/audit/export) against
 * signed checkpoints (GET /api/v1/audit/checkpoints, or the AUDIT_CHECKPOINT_FILE), with the
 * public key alone (GET /api/v1/audit/checkpoints/key): no service, no database.
 *
 *   npm run audit:verify -- <export.ndjson> <checkpoints.json|checkpoints.ndjson> [--key public.pem]
 *
 * It recomputes every hash with the service's own rule (src/audit/domain/hash-chain.ts), checks
 * each checkpoint's signature, then that the log reaches each checkpoint with the signed hash.
 * Exit status: 0 verified, 1 the log or a checkpoint fails (the sequence and the checkpoint are
 * named), 2 the command or a file cannot be read.
 */

const USAGE = 'usage: npm run audit:verify -- <export.ndjson> <checkpoints.json|checkpoints.ndjson> [--key public.pem]';

class UsageError extends Error {}

class VerificationFailure extends Error {}

function parseArguments(argv: string[]): { exportFile: string; checkpointsFile: string; keyFile: string | null } {
  const positional: string[] = [];
  let keyFile: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === '--key') {
      keyFile = argv[++i] ?? null;
      if (!keyFile) throw new UsageError('--key needs a file');
    } else if (argument.startsWith('--key=')) keyFile = argument.slice('--key='.length);
    else if (argument === '--help' || argument === '-h') throw new UsageError('');
    else if (argument.startsWith('--')) throw new UsageError(`unknown option ${argument}`);
    else positional.push(argument);
  }
  if (positional.length !== 2) throw new UsageError('expected an export and a checkpoints file');
  return { exportFile: positional[0], checkpointsFile: positional[1], keyFile };
}

function readPublicKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not a PEM public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${file}: a ${key.asymmetricKeyType} key; checkpoints are signed with Ed25519`);
  return key;
}

/** A JSON array, a page of GET /audit/checkpoints (`items`), or JSON lines. */
async function readCheckpoints(file: string): Promise<SignedCheckpoint[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  const list = Array.isArray(whole) ? whole : Array.isArray((whole as { items?: unknown })?.items) ? (whole as { items: unknown[] }).items : null;
  if (list) {
    return list.map((value, index) => {
      const checkpoint = toCheckpoint(value);
      if (!checkpoint) throw new UsageError(`${file}: entry ${index + 1} is not a checkpoint (${checkpointShapeProblem(value)})`);
      return checkpoint;
    });
  }
  if (whole !== undefined && toCheckpoint(whole)) return [toCheckpoint(whole)!];
  const { checkpoints, unreadableLines } = await readCheckpointLines(file);
  if (unreadableLines > 0) throw new UsageError(`${file}: ${unreadableLines} line(s) are not checkpoints`);
  return checkpoints;
}

const TEXT_FIELDS = ['id', 'occurredAt', 'actorRole', 'aggregateType', 'aggregateId', 'type', 'payload', 'prevHash', 'hash'] as const;

function toEvent(line: string, lineNumber: number): SealedEvent {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new VerificationFailure(`export line ${lineNumber}: not JSON`);
  }
  if (typeof value !== 'object' || value === null || !Number.isSafeInteger(value.sequence)) {
    throw new VerificationFailure(`export line ${lineNumber}: no sequence`);
  }
  for (const field of TEXT_FIELDS) {
    if (typeof value[field] !== 'string') throw new VerificationFailure(`export line ${lineNumber} (sequence ${value.sequence}): ${field} must be a string`);
  }
  if (value.actorId !== null && typeof value.actorId !== 'string') throw new VerificationFailure(`export line ${lineNumber} (sequence ${value.sequence}): actorId must be a string or null`);
  return value as unknown as SealedEvent;
}

async function verify(exportFile: string, checkpointsFile: string, keyFile: string | null): Promise<string[]> {
  const report: string[] = [];
  const checkpoints = await readCheckpoints(checkpointsFile);
  let trusted = checkpoints;
  if (keyFile) {
    const key = readPublicKey(keyFile);
    const sorted = sortBySignature(checkpoints, key);
    if (sorted.forged.length > 0) {
      const forged = sorted.forged[0];
      throw new VerificationFailure(`checkpoint at sequence ${forged.sequence} signed ${forged.signedAt}: its signature is not key ${forged.keyId}'s (forged or altered)`);
    }
    if (sorted.otherKey.length > 0) report.push(`note: ${sorted.otherKey.length} checkpoint(s) signed by another key ignored (key ${keyIdOf(key)} given)`);
    trusted = sorted.trusted;
    if (trusted.length === 0) throw new VerificationFailure(`no checkpoint signed by key ${keyIdOf(key)} in ${checkpointsFile}`);
  } else {
    report.push('WARNING: no --key given: signatures NOT checked; anyone could have written these checkpoints');
  }
  const witness = new CheckpointWitness(trusted);

  let expected = 1;
  let prevHash = GENESIS_HASH;
  let lineNumber = 0;
  const stream = createReadStream(exportFile, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const event = toEvent(line, lineNumber);
      const broken = checkLink(expected, prevHash, event);
      if (broken) throw new VerificationFailure(`sequence ${broken.sequence}: ${broken.reason} (export line ${lineNumber})`);
      witness.observe(event.sequence, event.hash);
      prevHash = event.hash;
      expected += 1;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new UsageError(`${exportFile}: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    stream.destroy();
  }
  const headSequence = expected - 1;
  const contradiction = witness.contradiction(headSequence);
  if (contradiction) throw new VerificationFailure(`sequence ${contradiction.firstBadSequence}: ${contradiction.reason}: ${describeContradiction(contradiction)}`);
  const latest = witness.latest!;
  report.push(
    `OK: ${headSequence} events, head at sequence ${headSequence} (hash ${prevHash}); ` +
      `${witness.count} checkpoint(s) hold, the latest at sequence ${latest.sequence} signed ${latest.signedAt} by key ${latest.keyId}`,
  );
  return report;
}

async function main(): Promise<number> {
  try {
    const { exportFile, checkpointsFile, keyFile } = parseArguments(process.argv.slice(2));
    const report = await verify(exportFile, checkpointsFile, keyFile);
    for (const line of report) process.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    if (error instanceof VerificationFailure) {
      process.stdout.write(`FAILED: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `audit:verify: ${error.message}\n` : ''}${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`audit:verify: ${(error as Error)?.stack ?? error}\n`);
    return 2;
  }
}

process.exitCode = await main();
