import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class UserMetricsQueryDto {
  @ApiPropertyOptional({
    description: 'Exact metric key, or a prefix ending in `*` (e.g. `engagement.schema_signals:*`)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  metricKey?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'First UTC day (inclusive); default endDate − 29 days',
  })
  @IsOptional()
  @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' })
  startDate?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last UTC day (inclusive); default today' })
  @IsOptional()
  @Matches(DATE, { message: 'endDate must be YYYY-MM-DD' })
  endDate?: string;
}

export class UserMetricDto {
  @ApiProperty() metricKey: string;
  @ApiProperty({ format: 'date' }) metricDate: string;
  @ApiProperty() metricValue: number;
  @ApiProperty({ enum: ['count', 'sum', 'avg', 'min', 'max', 'distinct'] }) metricType: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes: Record<string, unknown>;
}

export class UserMetricsDto {
  @ApiProperty() userId: string;
  @ApiProperty({ type: [UserMetricDto], description: 'By day, then key' }) metrics: UserMetricDto[];
}
