import { Controller, Get, HttpCode, Post, Query as QueryParams, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Roles } from '../common/auth/access.decorators.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { AuditSigningKey } from './checkpoints/audit-signing-key.js';
import { CreateAuditCheckpointCommand } from './commands/create-audit-checkpoint.js';
import { AuditEventPage, AuditEventsFilter, AuditHead, ChainVerification } from './dto/audit.dto.js';
import { AuditCheckpointPage, AuditCheckpointsFilter, CheckpointKey, CreatedCheckpoint } from './dto/checkpoint.dto.js';
import { ExportAuditLogQuery } from './queries/export-audit-log.js';
import { ListAuditCheckpointsQuery } from './queries/list-audit-checkpoints.js';
import { GetAuditHeadQuery } from './queries/get-audit-head.js';
import { ListAuditEventsQuery } from './queries/list-audit-events.js';
import { VerifyAuditChainQuery } from './queries/verify-audit-chain.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles('AUDITOR', 'ADMIN')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly signingKey: AuditSigningKey,
  ) {}

  @Get('events')
  @ApiOperation({ summary: 'Recorded events, filtered and paged (AUDITOR, ADMIN)', description: 'Every state change of the registry, in sequence order, with its hash link.' })
  @ApiOkResponse({ type: AuditEventPage, description: 'A page of events' })
  list(@QueryParams() filter: AuditEventsFilter) {
    return this.queries.execute(new ListAuditEventsQuery(filter));
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Recompute the hash chain and report the first broken link (AUDITOR, ADMIN)',
    description:
      'Reads the whole log in batches: a changed row is reported at its own sequence, a removed row at the missing sequence. ' +
      'A chain that holds is then compared with the latest signed checkpoints, from the database and from AUDIT_CHECKPOINT_FILE: ' +
      'events removed at the end (TRUNCATED) or rewritten with every following hash recomputed (REWRITTEN) are reported with the ' +
      'checkpoint they contradict.',
  })
  @ApiOkResponse({ type: ChainVerification, description: 'valid, or the first broken sequence and why' })
  verify() {
    return this.queries.execute(new VerifyAuditChainQuery());
  }

  @Get('head')
  @ApiOperation({
    summary: 'Current head of the chain (AUDITOR, ADMIN)',
    description:
      'Record the sequence and hash outside the database. To check later that nothing up to that point ' +
      'changed: GET /audit/verify must answer valid, and GET /audit/events?fromSequence=N&pageSize=1 must ' +
      'show the recorded hash for sequence N.',
  })
  @ApiOkResponse({ type: AuditHead, description: 'The last event\'s sequence and hash' })
  head() {
    return this.queries.execute(new GetAuditHeadQuery());
  }

  @Get('checkpoints')
  @ApiOperation({
    summary: 'Signed checkpoints of the chain, latest first (AUDITOR, ADMIN)',
    description: 'Each signs the head (sequence, hash) at a moment with the Ed25519 key of GET /audit/checkpoints/key; one is made every AUDIT_CHECKPOINT_INTERVAL when the head moved.',
  })
  @ApiOkResponse({ type: AuditCheckpointPage, description: 'A page of checkpoints' })
  checkpoints(@QueryParams() filter: AuditCheckpointsFilter) {
    return this.queries.execute(new ListAuditCheckpointsQuery(filter));
  }

  @Post('checkpoints')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign a checkpoint of the current head now (AUDITOR, ADMIN)',
    description: 'The events since the latest checkpoint are recomputed first: a broken chain is never signed. Nothing new is signed while the head has not moved.',
  })
  @ApiOkResponse({ type: CreatedCheckpoint, description: 'The checkpoint of the current head, and whether it was just made' })
  @ApiErrorResponse(409, 'The chain does not follow from the latest checkpoint: it was tampered with.', {
    code: 'AUDIT.CHAIN_BROKEN',
    message: 'The audit chain is broken at sequence 1288 (HASH_MISMATCH); no checkpoint is signed until it is investigated (GET /audit/verify)',
  })
  createCheckpoint() {
    return this.commands.execute(new CreateAuditCheckpointCommand());
  }

  @Get('checkpoints/key')
  @ApiOperation({ summary: 'The public key that checkpoints are signed with (AUDITOR, ADMIN)', description: 'Keep a copy outside the service: the offline verifier needs only it.' })
  @ApiOkResponse({ type: CheckpointKey, description: 'PEM and key id' })
  checkpointKey(): CheckpointKey {
    return { keyId: this.signingKey.keyId, algorithm: 'Ed25519', publicKeyPem: this.signingKey.publicKeyPem };
  }

  @Get('export')
  @ApiOperation({
    summary: 'The whole log as NDJSON, for the offline verifier (AUDITOR, ADMIN)',
    description:
      'One event a line, in sequence order, each field in the text form its hash covers (payload: the text jsonb prints), with prevHash and hash. ' +
      'Streamed from one consistent snapshot. Check it with `npm run audit:verify -- export.ndjson checkpoints.json --key public.pem`.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'Events, one JSON object a line',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  async export(): Promise<StreamableFile> {
    const events = await this.queries.execute(new ExportAuditLogQuery());
    const lines = Readable.from((async function* () {
      for await (const event of events) yield `${JSON.stringify(event)}\n`;
    })());
    return new StreamableFile(lines, { type: 'application/x-ndjson; charset=utf-8', disposition: 'attachment; filename="audit-log.ndjson"' });
  }
}
