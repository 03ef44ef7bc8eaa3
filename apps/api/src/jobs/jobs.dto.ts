import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JobRunDto {
  @ApiProperty({ description: 'The run id (GET /api/ai-behavior/jobs/runs/{runId})' }) jobId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['completed', 'failed'] }) status: 'completed' | 'failed';
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) finishedAt: string;
  @ApiPropertyOptional({
    description: 'What the handler returned',
    type: 'object',
    additionalProperties: true,
  })
  result?: unknown;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ description: 'The tenant the run was limited to; absent = all tenants' })
  tenantId?: string;
}

export class JobRunPendingDto {
  @ApiProperty({ description: 'The run id (GET /api/ai-behavior/jobs/runs/{runId})' }) jobId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['queued', 'running'] }) status: 'queued' | 'running';
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ description: 'The tenant the run was limited to; absent = all tenants' })
  tenantId?: string;
}

export class ScheduledTaskDto {
  @ApiProperty() id: string;
  @ApiProperty() handler: string;
  @ApiProperty() cron: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRunAt: string | null;
  @ApiProperty({
    type: JobRunDto,
    nullable: true,
    description: 'The last run in your scope: a tenant key sees only runs limited to its tenant',
  })
  lastRun: JobRunDto | null;
}

export class JobListDto {
  @ApiProperty() runnerType: string;
  @ApiProperty({ type: [ScheduledTaskDto] }) tasks: ScheduledTaskDto[];
}
