import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { LAYOUTS } from '@lssm/personalization';
import { DEFAULT_INSIGHTS_WINDOW_MS } from './personalization-insights.service.js';

/** Retention keeps 180 days of signals by default; a longer window only costs a longer scan. */
export const MAX_INSIGHTS_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;
const MAX_CAPABILITIES = 20;
// Without an offset the server's local time zone would decide which signals are in the window.
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T[^Z+-]+(Z|[+-]\d{2}:?\d{2})$/i;

/** The analysis inputs shared by GET /insights and POST /suggestions. */
export class PersonalizationAnalysisScopeDto {
  @ApiPropertyOptional({
    description: "Only this user's signals; absent = tenant-wide",
    example: 'manager-42',
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  userId?: string;

  @ApiPropertyOptional({
    description: 'Only signals carrying this role (the `role` attribute the tracker sends)',
    example: 'manager',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  role?: string;

  @ApiPropertyOptional({
    description: 'Window length in milliseconds, ending at `until`',
    default: DEFAULT_INSIGHTS_WINDOW_MS,
    minimum: 1,
    maximum: MAX_INSIGHTS_WINDOW_MS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INSIGHTS_WINDOW_MS)
  windowMs?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'End of the window (inclusive), with a timezone; default now',
    example: '2026-03-08T12:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(ZONED_DATE_TIME, {
    message: 'until must be a date-time with a timezone, e.g. 2026-03-08T12:00:00Z',
  })
  until?: string;
}

export class PersonalizationInsightsQueryDto extends PersonalizationAnalysisScopeDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_CAPABILITIES,
    description:
      'Capabilities whose stored base spec (PUT /api/overlays/base-specs/{capability}) supplies the known ' +
      'fields of that operation, so fields nobody touched are reported as unused. Repeat the parameter ' +
      'for several; 404 when one has no stored base spec.',
    example: ['billing.createOrder'],
  })
  @IsOptional()
  // One occurrence arrives as a string, several as an array.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(MAX_CAPABILITIES)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  capability?: string[];
}

export class InsightsScopeDto {
  @ApiProperty() tenantId: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() role?: string;
}

export class InsightsWindowDto {
  @ApiProperty({ format: 'date-time', description: 'Inclusive' }) since: string;
  @ApiProperty({ format: 'date-time', description: 'Inclusive' }) until: string;
  @ApiProperty() windowMs: number;
}

export class FieldRefDto {
  @ApiProperty({ example: 'billing.createOrder' }) operation: string;
  @ApiProperty({ example: 'internalNotes' }) field: string;
}

export class FieldUsageDto {
  @ApiProperty({ example: 'billing.createOrder' }) operation: string;
  @ApiProperty({ example: 'items' }) field: string;
  @ApiProperty({ description: 'Field-access events in the window, whatever their action' }) accesses: number;
}

export class WorkflowBottleneckDto {
  @ApiProperty({ example: 'invoice-approval' }) workflow: string;
  @ApiProperty({ example: 'review' }) step: string;
  @ApiProperty({ description: '1 − completed / entered', minimum: 0, maximum: 1 }) dropRate: number;
  @ApiProperty() entered: number;
  @ApiProperty() completed: number;
}

export class LayoutUsageDto {
  @ApiProperty() table: number;
  @ApiProperty() cards: number;
  @ApiProperty() list: number;
}

/** The shape `BehaviorAnalyzer.analyze` returns (docs/personalization.md#definitions). */
export class PersonalizationInsightsDto {
  @ApiProperty({ type: InsightsScopeDto }) scope: InsightsScopeDto;
  @ApiProperty({ type: InsightsWindowDto }) window: InsightsWindowDto;
  @ApiProperty({ type: [FieldRefDto], description: 'Known fields with 0 accesses, by operation then field' })
  unusedFields: FieldRefDto[];
  @ApiProperty({
    type: [FieldUsageDto],
    description: 'Known fields below the inactivity threshold and never edited, by operation then field',
  })
  suggestedHiddenFields: FieldUsageDto[];
  @ApiProperty({ type: [FieldUsageDto], description: 'By accesses descending, then operation, then field' })
  frequentlyUsedFields: FieldUsageDto[];
  @ApiProperty({ type: [WorkflowBottleneckDto], description: 'By drop rate, then entries, descending' })
  workflowBottlenecks: WorkflowBottleneckDto[];
  @ApiProperty({
    enum: LAYOUTS,
    nullable: true,
    type: String,
    description: 'null without a clear preference',
  })
  layoutPreference: (typeof LAYOUTS)[number] | null;
  @ApiProperty({ type: LayoutUsageDto }) layoutUsage: LayoutUsageDto;
}
