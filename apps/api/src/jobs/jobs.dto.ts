import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JobRunDto {
  @ApiProperty() jobId: string;
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
}

export class ScheduledTaskDto {
  @ApiProperty() id: string;
  @ApiProperty() handler: string;
  @ApiProperty() cron: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRunAt: string | null;
  @ApiProperty({ type: JobRunDto, nullable: true }) lastRun: JobRunDto | null;
}

export class JobListDto {
  @ApiProperty() runnerType: string;
  @ApiProperty({ type: [ScheduledTaskDto] }) tasks: ScheduledTaskDto[];
}
