import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/access.decorators.js';
import { errorExample } from '../common/http/openapi.js';
import { Backends, QUEUE_SCHEMA } from '../common/backends.js';
import { RedisClient } from '../common/redis/redis.module.js';
import { ChannelHealth } from '../channels/channel-health.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisClient,
    private readonly backends: Backends,
    private readonly dataSource: DataSource,
    private readonly channels: ChannelHealth,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Status of the service, of its database and of its queues (Redis or PostgreSQL), and how many events wait to be sealed into the audit chain (anyone)',
  })
  @ApiOkResponse({
    description: 'Every dependency is up; `details` names each with its status',
    schema: {
      type: 'object',
      required: ['status', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string' } }, additionalProperties: true } },
        error: { type: 'object', additionalProperties: true },
        details: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string' } }, additionalProperties: true } },
      },
      example: {
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' }, auditChain: { status: 'up', pendingEvents: 0, oldestPendingSeconds: 0 } },
        error: {},
        details: { database: { status: 'up' }, redis: { status: 'up' }, auditChain: { status: 'up', pendingEvents: 0, oldestPendingSeconds: 0 } },
      },
    },
  })
  @ApiResponse({
    status: 503,
    description: 'A dependency is down or did not answer within 1.5 s: `details.details` says which.',
    examples: {
      dependencyDown: {
        summary: 'A dependency down',
        value: errorExample(503, 'HTTP.503', 'Service Unavailable Exception', {
          status: 'error',
          info: { database: { status: 'up' } },
          error: { redis: { status: 'down', message: 'Connection is closed.' } },
          details: { database: { status: 'up' }, redis: { status: 'down', message: 'Connection is closed.' } },
        }),
      },
    },
  })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      () => this.queuesCheck(),
      () => this.sealingCheck(),
      ...(this.channels.configured ? [() => this.channelsCheck()] : []),
    ]);
  }

  /**
   * Events committed but not sealed into the audit chain yet, and how long the oldest has
   * waited. Informative: the relay seals them every few hundred milliseconds, so a growing age
   * says the relay (the worker processes) is not running; the API itself serves on.
   */
  private sealingCheck() {
    return this.indicators
      .check('auditChain')
      .attempt(async () => {
        const [{ pending, oldest }] = await this.dataSource.query(
          `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS oldest FROM audit_event_pending`,
        );
        return { pendingEvents: pending as number, oldestPendingSeconds: Math.round(oldest as number) };
      })
      .withTimeout(1500);
  }

  /**
   * The configured channels to people (SMTP verify, SMPP bound), reported but never failing the
   * check: see ChannelHealth for why.
   */
  private channelsCheck() {
    return this.indicators.check('channels').attempt(() => this.channels.report());
  }

  private queuesCheck() {
    const redis = this.redis.connection;
    if (redis) {
      return this.indicators
        .check('redis')
        .attempt(async () => {
          await redis.ping();
        })
        .withTimeout(1500);
    }
    return this.indicators
      .check('queues')
      .attempt(async () => {
        await this.dataSource.query(`SELECT 1 FROM ${QUEUE_SCHEMA}.meta LIMIT 1`);
        return { backend: this.backends.queueDescription };
      })
      .withTimeout(1500);
  }
}
