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
import { JOB_RUNNER, SignalSinkHealthService, type JobRunner } from '@lssm/behavior-core';
import { RedisHealthClient } from './redis-health.client.js';
import { Public } from '@lssm/nest-common';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down', 'disabled'] }) status: 'up' | 'down' | 'disabled';
  @ApiPropertyOptional() latencyMs?: number;
  @ApiPropertyOptional() detail?: string;
}

class SinkHealthDto {
  @ApiProperty({ example: 'stream' }) name: string;
  @ApiProperty({ example: 'redis-streams' }) type: string;
  @ApiProperty({
    enum: ['up', 'failing', 'warning'],
    description:
      'failing: its deliveries fail (it catches up later); warning: for longer than its failureWarningMs',
  })
  status: 'up' | 'failing' | 'warning';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failingSince: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}

class SinksCheckDto {
  @ApiProperty({
    enum: ['up', 'warning', 'unknown', 'disabled'],
    description:
      'Never fails the health check: signals are still committed while a sink is down, and it catches up. ' +
      'warning: a sink has been failing longer than its failureWarningMs; disabled: no sinks configured',
  })
  status: 'up' | 'warning' | 'unknown' | 'disabled';
  @ApiPropertyOptional() detail?: string;
  @ApiProperty({ type: [SinkHealthDto] }) sinks: SinkHealthDto[];
}

class HealthChecksDto {
  @ApiProperty() database: CheckDto;
  @ApiProperty() redis: CheckDto;
  @ApiProperty() jobRunner: CheckDto;
  @ApiProperty() sinks: SinksCheckDto;
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
    private readonly sinkHealth: SignalSinkHealthService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Database, Redis (when configured) and job runner status; sinks as warnings',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'A required dependency is down' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const [database, redis, jobRunner, sinks] = await Promise.all([
      this.database(),
      this.redisCheck(),
      this.jobRunner(),
      this.sinks(),
    ]);
    const required = [database, jobRunner, ...(redis.status === 'disabled' ? [] : [redis])];
    const status = required.every((c) => c.status === 'up')
      ? 'ok'
      : database.status === 'down'
        ? 'down'
        : 'degraded';
    if (status !== 'ok') reply.status(503).header('retry-after', '5');
    return { status, checks: { database, redis, jobRunner, sinks } };
  }

  /** Reported, never required: a sink that is down holds its place and catches up. */
  private async sinks(): Promise<SinksCheckDto> {
    try {
      const health = await withTimeout(this.sinkHealth.health(), 2000);
      const warned = health.sinks.filter((s) => s.status === 'warning').map((s) => s.name);
      return {
        status: health.status,
        ...(warned.length > 0 ? { detail: `failing too long: ${warned.join(', ')}` } : {}),
        sinks: health.sinks.map((s) => ({ ...s })),
      };
    } catch (error) {
      return { status: 'unknown', detail: error instanceof Error ? error.message : String(error), sinks: [] };
    }
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
