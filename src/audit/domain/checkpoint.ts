import { createHash, type KeyObject, sign, verify } from 'node:crypto';

/**
 * A signed checkpoint of the audit chain, after Certificate Transparency's signed tree head
 * (RFC 6962, section 3.5): the head's sequence and hash, when it was signed and by which key.
 * The hash of an event seals every event before it, so a checkpoint vouches for the whole log
 * up to its sequence; the key lives outside the database, so whoever can rewrite the database
 * cannot sign a new head.
 */
export interface CheckpointStatement {
  sequence: number;
  /** Hex sha256 hash of the event at `sequence`. */
  hash: string;
  /** ISO 8601, UTC, milliseconds. */
  signedAt: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointStatement {
  /** Ed25519 signature of `checkpointText(statement)`, base64. */
  signature: string;
}

/** The first line of every signed text: a signature made for something else never reads as a checkpoint. */
export const CHECKPOINT_FORMAT = 'renfort-audit-checkpoint/v1';

/** The text the signature covers, one field a line. */
export function checkpointText(statement: CheckpointStatement): string {
  return `${CHECKPOINT_FORMAT}\nsequence ${statement.sequence}\nhash ${statement.hash}\nsigned-at ${statement.signedAt}\nkey-id ${statement.keyId}\n`;
}

/** A public key's id: the first 16 hex digits of the sha256 of its SubjectPublicKeyInfo (DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signCheckpoint(statement: CheckpointStatement, privateKey: KeyObject): SignedCheckpoint {
  const signature = sign(null, Buffer.from(checkpointText(statement), 'utf8'), privateKey).toString('base64');
  return { sequence: statement.sequence, hash: statement.hash, signedAt: statement.signedAt, keyId: statement.keyId, signature };
}

export function hasValidSignature(checkpoint: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(checkpointText(checkpoint), 'utf8'), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Why a text is not a checkpoint, or null when its fields have the right shapes. */
export function checkpointShapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const c = value as Record<string, unknown>;
  if (!Number.isSafeInteger(c.sequence) || (c.sequence as number) < 1) return 'sequence must be a positive integer';
  if (typeof c.hash !== 'string' || !/^[0-9a-f]{64}$/.test(c.hash)) return 'hash must be 64 hex digits';
  if (typeof c.signedAt !== 'string' || Number.isNaN(Date.parse(c.signedAt))) return 'signedAt must be an ISO 8601 time';
  if (typeof c.keyId !== 'string' || c.keyId === '') return 'keyId is missing';
  if (typeof c.signature !== 'string' || c.signature === '') return 'signature is missing';
  return null;
}

/** The checkpoints signed by one public key, sorted out: trusted, forged (that key's id, a wrong signature), another key's. */
export function sortBySignature<C extends SignedCheckpoint>(checkpoints: C[], publicKey: KeyObject): { trusted: C[]; forged: C[]; otherKey: C[] } {
  const keyId = keyIdOf(publicKey);
  const sorted = { trusted: [] as C[], forged: [] as C[], otherKey: [] as C[] };
  for (const checkpoint of checkpoints) {
    if (checkpoint.keyId !== keyId) sorted.otherKey.push(checkpoint);
    else if (hasValidSignature(checkpoint, publicKey)) sorted.trusted.push(checkpoint);
    else sorted.forged.push(checkpoint);
  }
  return sorted;
}

/**
 * How a log contradicts a checkpoint. TRUNCATED: the log ends before the checkpoint's sequence;
 * `firstBadSequence` is the first missing event. REWRITTEN: the event at the checkpoint's
 * sequence no longer has the signed hash, though the chain itself holds (every following hash
 * recomputed); `firstBadSequence` is the first event this checkpoint vouched for that no earlier,
 * still matching checkpoint did: the change is at or after it.
 */
export interface CheckpointContradiction<C extends SignedCheckpoint = SignedCheckpoint> {
  reason: 'TRUNCATED' | 'REWRITTEN';
  checkpoint: C;
  firstBadSequence: number;
}

/**
 * Compares a log, read once in sequence order, with trusted checkpoints: it keeps the hash of
 * the events at the checkpoints' sequences only, so memory stays bounded by the checkpoints.
 */
export class CheckpointWitness<C extends SignedCheckpoint = SignedCheckpoint> {
  private readonly checkpoints: C[];
  private readonly wanted = new Set<number>();
  private readonly seen = new Map<number, string>();

  constructor(checkpoints: C[]) {
    this.checkpoints = [...checkpoints].sort((a, b) => a.sequence - b.sequence);
    for (const checkpoint of this.checkpoints) this.wanted.add(checkpoint.sequence);
  }

  get count(): number {
    return this.checkpoints.length;
  }

  /** The checkpoint with the highest sequence, the latest signed when several share it. */
  get latest(): C | undefined {
    return this.checkpoints.at(-1);
  }

  /** One event of the log, whose hash was recomputed and found to follow from the one before. */
  observe(sequence: number, hash: string): void {
    if (this.wanted.has(sequence)) this.seen.set(sequence, hash);
  }

  /** The first checkpoint the log contradicts, once the log has been read up to `headSequence`. */
  contradiction(headSequence: number): CheckpointContradiction<C> | null {
    let vouched = 0;
    for (const checkpoint of this.checkpoints) {
      if (checkpoint.sequence > headSequence) return { reason: 'TRUNCATED', checkpoint, firstBadSequence: headSequence + 1 };
      if (this.seen.get(checkpoint.sequence) !== checkpoint.hash) return { reason: 'REWRITTEN', checkpoint, firstBadSequence: vouched + 1 };
      vouched = checkpoint.sequence;
    }
    return null;
  }
}

/** One sentence on a contradiction, for people: the verifier's output, the logs. */
export function describeContradiction({ reason, checkpoint, firstBadSequence }: CheckpointContradiction): string {
  const signed = `checkpoint at sequence ${checkpoint.sequence} signed ${checkpoint.signedAt} by key ${checkpoint.keyId}`;
  return reason === 'TRUNCATED'
    ? `the log ends at sequence ${firstBadSequence - 1}: events from sequence ${firstBadSequence} were removed (${signed})`
    : `the event at sequence ${checkpoint.sequence} no longer has the signed hash: an event from sequence ${firstBadSequence} on was rewritten (${signed})`;
}
