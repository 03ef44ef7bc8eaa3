import { ApiProperty } from '@nestjs/swagger';
import { USER_EXPORT_FORMAT_VERSION, USER_EXPORT_TYPES, type UserExportType } from './user-export.service.js';

// The NDJSON lines of GET /users/{userId}/export, documented as one schema per kind of line
// (a line is one of them: oneOf in the response's `application/x-ndjson` media type).

export class UserExportHeaderLineDto {
  @ApiProperty({ enum: ['export'] }) type: 'export';
  @ApiProperty({ enum: [USER_EXPORT_FORMAT_VERSION] }) formatVersion: number;
  @ApiProperty() tenantId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({
    enum: USER_EXPORT_TYPES,
    isArray: true,
    description: 'The data line types, in export order',
  })
  types: UserExportType[];
}

export class UserExportDataLineDto {
  @ApiProperty({
    enum: USER_EXPORT_TYPES,
    description:
      'The kind of row; its stored fields follow (camelCase). Sensitive attributes are as stored: ' +
      'hashed or encrypted values stay hashed or encrypted, dropped ones are absent.',
  })
  type: UserExportType;
  [field: string]: unknown;
}

export class UserExportCountsDto {
  @ApiProperty() signal: number;
  @ApiProperty() metric: number;
  @ApiProperty() metricValue: number;
  @ApiProperty() insight: number;
  @ApiProperty() alert: number;
  @ApiProperty() failedSignal: number;
  @ApiProperty() overlay: number;
  @ApiProperty() overlayAudit: number;
}

export class UserExportEndLineDto {
  @ApiProperty({ enum: ['end'], description: 'Last line: without it the export is truncated' }) type: 'end';
  @ApiProperty({ type: UserExportCountsDto, description: 'Data lines written per type' })
  counts: UserExportCountsDto;
  @ApiProperty({ description: 'Data lines written in all' }) total: number;
}
