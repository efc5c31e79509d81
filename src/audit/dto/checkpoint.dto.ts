import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, PageQuery } from '../../common/pagination/page.js';

const EXAMPLE_HASH = '4b7e2a9c1d8f3e6a5b0c9d2e7f4a1b8c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a';

export class AuditCheckpointView {
  @ApiProperty({ type: 'integer', example: 1287, description: 'Sequence of the head the checkpoint signs' }) sequence: number;
  @ApiProperty({ example: EXAMPLE_HASH, description: 'Hash of that event (hex sha256), which seals every event before it' }) hash: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T14:05:00.000Z' }) signedAt: string;
  @ApiProperty({ example: '9f86d081884c7d65', description: 'Id of the signing key: the first 16 hex digits of the sha256 of its public key (DER)' }) keyId: string;
  @ApiProperty({
    description: 'Ed25519 signature (base64) of the text "renfort-audit-checkpoint/v1\\nsequence N\\nhash H\\nsigned-at T\\nkey-id K\\n"',
    example: 'v0N1Y3cvb3Jk...Q==',
  })
  signature: string;
}

export class AuditCheckpointPage extends PageOf(AuditCheckpointView) {}

export class AuditCheckpointsFilter extends PageQuery {}

export class CreatedCheckpoint {
  @ApiProperty({ description: 'false: the head has not moved since the latest checkpoint, which is answered' }) created: boolean;
  @ApiProperty({ type: AuditCheckpointView, nullable: true, description: 'The checkpoint of the current head; null while the log is empty' })
  checkpoint: AuditCheckpointView | null;
}

export class CheckpointKey {
  @ApiProperty({ example: '9f86d081884c7d65' }) keyId: string;
  @ApiProperty({ example: 'Ed25519' }) algorithm: string;
  @ApiProperty({ description: 'The public key, PEM (SubjectPublicKeyInfo), for `npm run audit:verify -- ... --key`', example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA...\n-----END PUBLIC KEY-----\n' })
  publicKeyPem: string;
}

export class ContradictedCheckpoint extends AuditCheckpointView {
  @ApiProperty({ enum: ['database', 'file', 'database and file'], description: 'Where the checkpoint was read' }) source: string;
  @ApiPropertyOptional({ type: 'integer', description: 'First event the log no longer matches: the first removed, or the first the checkpoint vouched for that no earlier matching checkpoint did' })
  firstBadSequence?: number;
}

export class CheckpointsCompared {
  @ApiProperty({ type: 'integer', description: 'Checkpoints signed by the current key that the chain was compared with', example: 12 }) checked: number;
  @ApiProperty({ type: 'integer', description: 'Checkpoints read from the database (the latest ones)', example: 12 }) fromDatabase: number;
  @ApiProperty({ type: 'integer', description: 'Checkpoints read from AUDIT_CHECKPOINT_FILE (its latest ones); 0 without a file', example: 12 }) fromFile: number;
  @ApiProperty({ type: 'integer', description: 'Checkpoints signed by another key id (a former key): not compared', example: 0 }) otherKey: number;
  @ApiProperty({ type: 'integer', description: 'Lines of the checkpoint file that are not checkpoints', example: 0 }) unreadableFileLines: number;
  @ApiPropertyOptional({ type: AuditCheckpointView, description: 'The latest checkpoint compared' }) latest?: AuditCheckpointView;
}
