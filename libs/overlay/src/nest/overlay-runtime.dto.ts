import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JSON_VALUE_SCHEMA } from '@lssm/nest-common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxDate,
  Min,
  MinDate,
  ValidateNested,
} from 'class-validator';
import { OverlayScopeDto, OverlaySpecDto } from './overlay.dto.js';

const json = { type: 'object', additionalProperties: true } as const;

export class ResolveQueryDto {
  @ApiProperty({ example: 'billing.createOrder' }) @IsString() @Length(1, 200) capability: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) role?: string;
  // 256: the longest userId signal ingestion accepts, so every user can be resolved.
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 256) userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) device?: string;
}

export class ResolvedOverlayDto {
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiProperty() keyId: string;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({ enum: ['tenant', 'role', 'user', 'device'] }) level: string;
  @ApiProperty({ description: 'Higher is more specific' }) specificity: number;
  @ApiProperty({ type: OverlaySpecDto }) spec: OverlaySpecDto;
}

export class PropertyProvenanceDto {
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiPropertyOptional() keyId?: string;
  @ApiProperty({ enum: ['tenant', 'role', 'user', 'device'] }) level: string;
  @ApiProperty() operationIndex: number;
}

export class MergedFieldDto {
  @ApiProperty() name: string;
  @ApiPropertyOptional() hidden?: boolean;
  @ApiPropertyOptional() label?: string;
  @ApiPropertyOptional() readOnly?: boolean;
  @ApiPropertyOptional({ ...JSON_VALUE_SCHEMA, description: 'Any JSON value' }) defaultValue?: unknown;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/PropertyProvenanceDto' },
    description: 'For each property set by an overlay, the operation that won',
  })
  provenance: Record<string, PropertyProvenanceDto>;
}

export class ResolveResultDto {
  @ApiProperty() capability: string;
  @ApiProperty({ type: OverlayScopeDto }) context: OverlayScopeDto;
  @ApiProperty({ type: [ResolvedOverlayDto], description: 'Least specific first (application order)' })
  overlays: ResolvedOverlayDto[];
  @ApiProperty({
    type: [MergedFieldDto],
    description:
      'Every field an overlay names, with the merged values and their provenance, in the resulting order',
  })
  fields: MergedFieldDto[];
}

export class ApplyRequestDto {
  @ApiPropertyOptional({
    ...json,
    description:
      '{ capability, fields: [{ name, label, … }] }; absent = the stored base spec of `capability`',
  })
  @IsOptional()
  @IsObject()
  baseSpec?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Used with the stored base spec when baseSpec is absent' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  capability?: string;

  @ApiPropertyOptional({
    type: OverlayScopeDto,
    description: 'Who is looking; the tenant comes from the key',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverlayScopeDto)
  context?: OverlayScopeDto;
}

export class AppliedOverlayDto {
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiPropertyOptional() keyId?: string;
  @ApiProperty({ enum: ['tenant', 'role', 'user', 'device'] }) level: string;
}

export class OverlayWarningDto {
  @ApiProperty({ enum: ['unknown_field'] }) code: string;
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiProperty() operationIndex: number;
  @ApiProperty() operation: string;
  @ApiProperty() field: string;
}

export class ApplyResultDto {
  @ApiProperty({ ...json, description: 'The base spec with the overlays applied (every field kept)' })
  spec: Record<string, unknown>;
  @ApiProperty({ type: [AppliedOverlayDto] }) applied: AppliedOverlayDto[];
  @ApiProperty({ ...json, description: 'provenance[field][property] = the operation that set it' })
  provenance: Record<string, unknown>;
  @ApiProperty({ type: [OverlayWarningDto] }) warnings: OverlayWarningDto[];
}

// Years 1 to 9999: a JavaScript Date reaches far beyond what PostgreSQL's timestamptz reads.
const FIRST_DATE = new Date('0001-01-01T00:00:00Z');
const LAST_DATE = new Date('9999-12-31T23:59:59.999Z');

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) overlayId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) capability?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Inclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(FIRST_DATE)
  @MaxDate(LAST_DATE)
  from?: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Exclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(FIRST_DATE)
  @MaxDate(LAST_DATE)
  to?: Date;
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class AuditRecordDto {
  @ApiProperty() id: string;
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, nullable: true }) keyId: string | null;
  @ApiProperty() capability: string;
  @ApiProperty({ type: OverlayScopeDto }) context: OverlayScopeDto;
  @ApiProperty({ type: String, format: 'date-time' }) appliedAt: Date;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) items: AuditRecordDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

export class BaseSpecFieldDto {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional() type?: string;
  @ApiPropertyOptional() hidden?: boolean;
  @ApiPropertyOptional() readOnly?: boolean;
  @ApiPropertyOptional({ ...JSON_VALUE_SCHEMA, description: 'Any JSON value' }) defaultValue?: unknown;
}

export class BaseSpecBodyDto {
  @ApiProperty({ type: [BaseSpecFieldDto], description: 'In display order; extra field properties are kept' })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  fields: Record<string, unknown>[];
}

export class BaseSpecDto {
  @ApiProperty() capability: string;
  @ApiProperty({ ...json, description: '{ capability, fields }' }) spec: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
