import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/access.decorators.js';
import { RedisClient } from '../common/redis/redis.module.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisClient,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Status of the service and of PostgreSQL and Redis (anyone)' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            await this.redis.connection.ping();
          })
          .withTimeout(1500),
    ]);
  }
}
