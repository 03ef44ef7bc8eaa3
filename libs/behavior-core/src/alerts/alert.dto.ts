import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { AlertSeverity } from '../contracts/behavior-anomaly-rule.js';
import { ALERT_SEVERITIES } from './alert-severity.js';
import { ALERT_STATUSES, type AlertStatus } from './postgres-alert.repository.js';

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty({ description: 'The anomaly rule that raised it', example: 'billing.card_testing' })
  rule: string;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ description: 'Identifies the incident within the rule; one alert per incident' })
  incidentKey: string;
  @ApiProperty({ enum: ALERT_STATUSES, description: 'open → acknowledged → resolved' })
  status: AlertStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What the alert is about within its rule (core detectors: `schema:<id>`, `user:<id>`)',
  })
  subject: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The numbers behind the alert (core detectors: window, expected, observed, z, threshold, reference)',
  })
  evidence: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Last change (a detector refreshes the evidence while the condition lasts)',
  })
  updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;
}

export class UpdateAlertDto {
  @ApiProperty({ enum: ['acknowledged', 'resolved'], description: 'The state to move to (never back)' })
  @IsIn(['acknowledged', 'resolved'])
  status: 'acknowledged' | 'resolved';
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) items: AlertDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
