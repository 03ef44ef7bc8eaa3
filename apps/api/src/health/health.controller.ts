import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyReply } from 'fastify';
import { JOB_RUNNER, type JobRunner } from '@lssm/behavior-core';
import { RedisHealthClient } from './redis-health.client.js';
import { Public } from '@lssm/nest-common';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down', 'disabled'] }) status: 'up' | 'down' | 'disabled';
  @ApiPropertyOptional() latencyMs?: number;
  @ApiPropertyOptional() detail?: string;
}

class HealthChecksDto {
  @ApiProperty() database: CheckDto;
  @ApiProperty() redis: CheckDto;
  @ApiProperty() jobRunner: CheckDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'] }) status: 'ok' | 'degraded' | 'down';
  @ApiProperty() checks: HealthChecksDto;
}

@ApiTags('operations')
@Controller('api/ai-behavior/health')
export class HealthController {
  constructor(
    private readonly orm: MikroORM,
    @Inject(JOB_RUNNER) private readonly jobs: JobRunner,
    private readonly redisClient: RedisHealthClient,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Database, Redis (when configured) and job runner status',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'A required dependency is down' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const [database, redis, jobRunner] = await Promise.all([
      this.database(),
      this.redisCheck(),
      this.jobRunner(),
    ]);
    const required = [database, jobRunner, ...(redis.status === 'disabled' ? [] : [redis])];
    const status = required.every((c) => c.status === 'up')
      ? 'ok'
      : database.status === 'down'
        ? 'down'
        : 'degraded';
    if (status !== 'ok') reply.status(503).header('retry-after', '5');
    return { status, checks: { database, redis, jobRunner } };
  }

  private async database(): Promise<CheckDto> {
    return timed(async () => {
      await this.orm.em.getConnection().execute('select 1');
    });
  }

  private async redisCheck(): Promise<CheckDto> {
    const redis = this.redisClient.redis;
    if (!redis) return { status: 'disabled' };
    return timed(async () => {
      await redis.ping();
    });
  }

  private async jobRunner(): Promise<CheckDto> {
    const health = await this.jobs.health();
    return {
      status: health.ok ? 'up' : 'down',
      detail: `${health.runnerType}${health.detail ? `: ${health.detail}` : ''}`,
    };
  }
}

async function timed(check: () => Promise<void>): Promise<CheckDto> {
  const started = performance.now();
  try {
    await withTimeout(check(), 2000);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : String(error) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
