import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock.js';
import { AuditSigningKey } from '../checkpoints/audit-signing-key.js';
import { CheckpointStore } from '../checkpoints/checkpoint-store.js';
import { hasValidSignature, type SignedCheckpoint } from '../domain/checkpoint.js';
import { AuditChainBrokenError } from '../domain/checkpoint.errors.js';
import { checkLink, GENESIS_HASH } from '../domain/hash-chain.js';
import { readChain, sealPendingEvents } from '../persistence.js';

export interface CheckpointResult {
  created: boolean;
  checkpoint: SignedCheckpoint | null;
}

export class CreateAuditCheckpointCommand extends Command<CheckpointResult> {}

/**
 * Signs the chain's head, as a Certificate Transparency log signs its tree head. Before
 * signing, the events since the latest checkpoint of this key are recomputed from it: a
 * checkpoint vouches only for a chain that follows from the one before, so it never blesses a
 * tampered log. Nothing is signed while the head has not moved. The checkpoint is appended to
 * the file before its row commits: a checkpoint in the database is in the file too.
 */
@CommandHandler(CreateAuditCheckpointCommand)
export class CreateAuditCheckpointHandler implements ICommandHandler<CreateAuditCheckpointCommand> {
  private readonly logger = new Logger(CreateAuditCheckpointHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly key: AuditSigningKey,
    private readonly store: CheckpointStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<CheckpointResult> {
    await sealPendingEvents(this.db);
    return this.db.transaction(async (manager) => {
      // One signer at a time (API and workers alike): the second finds the head already signed.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit_checkpoint'))`);
      const latest = await this.latestOfThisKey(manager);
      const [head] = (await manager.query(`SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1`)) as { sequence: string; hash: string }[];
      const headSequence = head ? Number(head.sequence) : 0;
      if (latest && headSequence < latest.sequence) {
        throw new AuditChainBrokenError(headSequence + 1, `the log ends before the checkpoint at sequence ${latest.sequence}`);
      }
      if (headSequence === 0 || (latest && headSequence === latest.sequence && head.hash === latest.hash)) {
        return { created: false, checkpoint: latest };
      }
      await this.checkSince(manager, latest, headSequence);
      const checkpoint = this.key.sign({ sequence: headSequence, hash: head.hash, signedAt: this.clock.now().toISOString() });
      if (!(await this.store.insert(manager, checkpoint))) {
        throw new AuditChainBrokenError(headSequence, 'a checkpoint of this key already holds this sequence, with a signature that does not verify');
      }
      await this.store.appendToFile(checkpoint);
      this.logger.log(`CreateAuditCheckpointHandler: signed the audit head at sequence ${checkpoint.sequence} (key ${checkpoint.keyId})`);
      return { created: true, checkpoint };
    });
  }

  private async latestOfThisKey(manager: { query(sql: string, parameters?: unknown[]): Promise<unknown> }): Promise<SignedCheckpoint | null> {
    // A row bearing this key's id without its signature was not written by the service: skipped here, reported by GET /audit/verify.
    for (const checkpoint of await this.store.latest(manager, 20, this.key.keyId)) {
      if (hasValidSignature(checkpoint, this.key.publicKey)) return checkpoint;
    }
    return null;
  }

  /** Recomputes the chain from the latest checkpoint (or from the first event) to the head. */
  private async checkSince(manager: { query(sql: string, parameters?: unknown[]): Promise<unknown> }, latest: SignedCheckpoint | null, headSequence: number): Promise<void> {
    let expected = latest ? latest.sequence : 1;
    let prevHash = GENESIS_HASH;
    for await (const event of readChain(manager, expected)) {
      if (event.sequence > headSequence) break;
      if (latest && event.sequence === latest.sequence) {
        if (event.sequence !== expected || event.hash !== latest.hash) {
          throw new AuditChainBrokenError(latest.sequence, `its hash is not the one the checkpoint signed ${latest.signedAt}`);
        }
      } else {
        const broken = checkLink(expected, prevHash, event);
        if (broken) throw new AuditChainBrokenError(broken.sequence, broken.reason);
      }
      prevHash = event.hash;
      expected += 1;
    }
    if (expected <= headSequence) throw new AuditChainBrokenError(expected, 'MISSING');
  }
}
