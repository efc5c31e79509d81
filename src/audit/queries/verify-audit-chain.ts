import { Optional } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditSigningKey } from '../checkpoints/audit-signing-key.js';
import { CheckpointStore } from '../checkpoints/checkpoint-store.js';
import { CheckpointWitness, type SignedCheckpoint, sortBySignature } from '../domain/checkpoint.js';
import { checkLink, GENESIS_HASH } from '../domain/hash-chain.js';
import type { ChainVerification } from '../dto/audit.dto.js';
import type { ContradictedCheckpoint } from '../dto/checkpoint.dto.js';
import { readChain, sealPendingEvents } from '../persistence.js';

export class VerifyAuditChainQuery extends Query<ChainVerification> {}

type Source = ContradictedCheckpoint['source'];
type SourcedCheckpoint = SignedCheckpoint & { source: Source };

/** The checkpoints of both sources, each once, saying where it was read. */
function merge(fromDatabase: SignedCheckpoint[], fromFile: SignedCheckpoint[]): SourcedCheckpoint[] {
  const bySignature = new Map<string, SourcedCheckpoint>();
  for (const checkpoint of fromDatabase) bySignature.set(`${checkpoint.sequence} ${checkpoint.signature}`, { ...checkpoint, source: 'database' });
  for (const checkpoint of fromFile) {
    const known = bySignature.get(`${checkpoint.sequence} ${checkpoint.signature}`);
    if (known) known.source = 'database and file';
    else bySignature.set(`${checkpoint.sequence} ${checkpoint.signature}`, { ...checkpoint, source: 'file' });
  }
  return [...bySignature.values()];
}

/**
 * Recomputes the whole chain from the first event, reading it in keyset batches so that
 * memory stays flat however long the log is. The hashes are recomputed here, from the
 * fields' text, not by the database function that sealed them. Events committed before the
 * request are sealed first, and verified with the rest.
 *
 * A chain that holds is then compared with the latest signed checkpoints, from the database and
 * from the file outside it: whoever removed the last events, or rewrote one and re-hashed all
 * that follow, left a chain that holds but contradicts a signed head.
 */
@QueryHandler(VerifyAuditChainQuery)
export class VerifyAuditChainHandler implements IQueryHandler<VerifyAuditChainQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    // Optional for a caller that verifies the chain alone, outside the service (bench:chain).
    @Optional() private readonly key?: AuditSigningKey,
    @Optional() private readonly store?: CheckpointStore,
  ) {}

  async execute(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expected = 1;
    let checked = 0;
    await sealPendingEvents(this.db);
    // Read before the chain: a checkpoint signed meanwhile is of a head the chain reaches.
    const [fromDatabase, file] = this.store && this.key
      ? await Promise.all([this.store.latest(this.db), this.store.readFile()])
      : [[], { checkpoints: [], unreadableLines: 0 }];
    const { trusted, forged, otherKey } = this.key ? sortBySignature(merge(fromDatabase, file.checkpoints), this.key.publicKey) : { trusted: [], forged: [], otherKey: [] };
    const witness = new CheckpointWitness(trusted);
    for await (const event of readChain(this.db)) {
      const broken = checkLink(expected, prevHash, event);
      if (broken) return { valid: false, checked, firstBrokenSequence: broken.sequence, reason: broken.reason };
      witness.observe(event.sequence, event.hash);
      prevHash = event.hash;
      expected += 1;
      checked += 1;
    }
    const headSequence = expected - 1;
    const latest = witness.latest;
    const checkpoints = {
      checked: witness.count,
      fromDatabase: fromDatabase.length,
      fromFile: file.checkpoints.length,
      otherKey: otherKey.length,
      unreadableFileLines: file.unreadableLines,
      ...(latest ? { latest: { sequence: latest.sequence, hash: latest.hash, signedAt: latest.signedAt, keyId: latest.keyId, signature: latest.signature } } : {}),
    };
    if (forged.length > 0) {
      return { valid: false, checked, reason: 'CHECKPOINT_SIGNATURE_INVALID', checkpoints, contradictedCheckpoint: forged[0] };
    }
    const contradiction = witness.contradiction(headSequence);
    if (contradiction) {
      return {
        valid: false,
        checked,
        firstBrokenSequence: contradiction.firstBadSequence,
        reason: contradiction.reason,
        checkpoints,
        contradictedCheckpoint: { ...contradiction.checkpoint, firstBadSequence: contradiction.firstBadSequence },
      };
    }
    return { valid: true, checked, headSequence, headHash: prevHash, checkpoints };
  }
}
