import { ApiProperty } from '@nestjs/swagger';
import type { AlertSeverity } from '../contracts/behavior-anomaly-rule.js';
import { ALERT_SEVERITIES } from './alert-severity.js';

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty({ description: 'The anomaly rule that raised it', example: 'billing.card_testing' })
  rule: string;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ description: 'Identifies the incident within the rule; one alert per incident' })
  incidentKey: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The numbers behind the alert' })
  evidence: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) items: AlertDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
