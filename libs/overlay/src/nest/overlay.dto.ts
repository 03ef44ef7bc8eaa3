import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { JSON_VALUE_SCHEMA } from '@lssm/nest-common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { OVERLAY_SIGNING_ALGORITHMS } from '../signing/overlay-signature.types.js';

export const OVERLAY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Versions are PostgreSQL integers. */
export const MAX_VERSION = 2_147_483_647;
/** Offset paging past this many rows is refused: deeper pages cost a scan of everything before them. */
export const MAX_LIST_OFFSET = 100_000;
const OVERLAY_STATUSES = ['draft', 'signed', 'archived'] as const;
const json = { type: 'object', additionalProperties: true } as const;

export class OverlayScopeDto {
  @ApiPropertyOptional({ example: 'clerk' }) @IsOptional() @IsString() @Length(1, 200) role?: string;
  // 256: the longest userId signal ingestion accepts, so every user can be targeted.
  @ApiPropertyOptional({ example: 'u42' }) @IsOptional() @IsString() @Length(1, 256) userId?: string;
  @ApiPropertyOptional({ example: 'mobile' }) @IsOptional() @IsString() @Length(1, 200) device?: string;
}

export class HideFieldOperationDto {
  @ApiProperty({ enum: ['hideField'] }) type: 'hideField';
  @ApiProperty({ example: 'notes' }) field: string;
}

export class ShowFieldOperationDto {
  @ApiProperty({ enum: ['showField'] }) type: 'showField';
  @ApiProperty({ example: 'notes' }) field: string;
}

export class RenameLabelOperationDto {
  @ApiProperty({ enum: ['renameLabel'] }) type: 'renameLabel';
  @ApiProperty({ example: 'customerName' }) field: string;
  @ApiProperty({ example: 'Client' }) label: string;
}

export class ReorderFieldsOperationDto {
  @ApiProperty({ enum: ['reorderFields'] }) type: 'reorderFields';
  @ApiProperty({
    type: [String],
    example: ['customerName', 'amount'],
    description: 'Named fields come first in this order; the others follow in their current order',
  })
  fields: string[];
}

export class SetDefaultOperationDto {
  @ApiProperty({ enum: ['setDefault'] }) type: 'setDefault';
  @ApiProperty({ example: 'currency' }) field: string;
  @ApiProperty({ ...JSON_VALUE_SCHEMA, description: 'Any JSON value', example: 'EUR' }) value: unknown;
}

export class SetReadOnlyOperationDto {
  @ApiProperty({ enum: ['setReadOnly'] }) type: 'setReadOnly';
  @ApiProperty({ example: 'amount' }) field: string;
  @ApiProperty() readOnly: boolean;
}

/** Register with `@ApiExtraModels(...OVERLAY_OPERATION_DTOS)` where OVERLAY_OPERATIONS_SCHEMA is used. */
export const OVERLAY_OPERATION_DTOS = [
  HideFieldOperationDto,
  ShowFieldOperationDto,
  RenameLabelOperationDto,
  ReorderFieldsOperationDto,
  SetDefaultOperationDto,
  SetReadOnlyOperationDto,
];

// A discriminated union on `type` (as the workflow operations are), so a generated client gets
// one type per operation and `value` only on setDefault.
const OVERLAY_OPERATIONS_SCHEMA = {
  type: 'array',
  items: {
    oneOf: OVERLAY_OPERATION_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
    discriminator: {
      propertyName: 'type',
      mapping: {
        hideField: getSchemaPath(HideFieldOperationDto),
        showField: getSchemaPath(ShowFieldOperationDto),
        renameLabel: getSchemaPath(RenameLabelOperationDto),
        reorderFields: getSchemaPath(ReorderFieldsOperationDto),
        setDefault: getSchemaPath(SetDefaultOperationDto),
        setReadOnly: getSchemaPath(SetReadOnlyOperationDto),
      },
    },
  },
} as const;

// Operations and metadata are checked by the core's JSON Schema (validateOverlay), which
// reports every problem with its JSON pointer; the DTO only checks the envelope.
export class CreateOverlayDto {
  @ApiProperty({ example: 'acme-clerk-order-form', pattern: OVERLAY_ID_PATTERN.source })
  @IsString()
  @Matches(OVERLAY_ID_PATTERN, { message: 'overlayId must match ' + OVERLAY_ID_PATTERN.source })
  overlayId: string;

  @ApiProperty({ example: 'billing.createOrder' }) @IsString() @Length(1, 200) capability: string;

  @ApiPropertyOptional({ type: OverlayScopeDto, description: '{} or absent = the whole tenant' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverlayScopeDto)
  scope?: OverlayScopeDto;

  @ApiProperty({ ...OVERLAY_OPERATIONS_SCHEMA, maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  operations: Record<string, unknown>[];

  @ApiPropertyOptional({ ...json }) @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}

export class UpdateOverlayDto {
  @ApiPropertyOptional({ description: 'Unchanged when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  capability?: string;

  @ApiPropertyOptional({ type: OverlayScopeDto, description: 'Unchanged when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverlayScopeDto)
  scope?: OverlayScopeDto;

  @ApiProperty({ ...OVERLAY_OPERATIONS_SCHEMA, maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  operations: Record<string, unknown>[];

  @ApiPropertyOptional({ ...json, description: 'Unchanged when absent' })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class OverlaySignatureDto {
  @ApiProperty() @IsString() @Length(1, 200) keyId: string;
  @ApiProperty({ enum: OVERLAY_SIGNING_ALGORITHMS }) @IsString() algorithm: string;
  @ApiProperty({ format: 'date-time' }) @IsString() signedAt: string;
  @ApiProperty({ description: 'base64url signature' }) @IsString() value: string;
}

export class OverlaySpecDto {
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiProperty() tenantId: string;
  @ApiProperty() capability: string;
  @ApiProperty({ type: OverlayScopeDto }) scope: OverlayScopeDto;
  @ApiProperty(OVERLAY_OPERATIONS_SCHEMA) operations: unknown[];
  @ApiPropertyOptional({ ...json }) metadata?: Record<string, unknown>;
}

export class OverlayDto {
  @ApiProperty() overlayId: string;
  @ApiProperty() version: number;
  @ApiProperty() tenantId: string;
  @ApiProperty() capability: string;
  @ApiProperty({ type: OverlayScopeDto }) scope: OverlayScopeDto;
  @ApiProperty({ enum: OVERLAY_STATUSES }) status: string;
  @ApiProperty({ type: OverlaySpecDto, description: 'The overlay spec (what is signed)' })
  spec: OverlaySpecDto;
  @ApiProperty({ type: OverlaySignatureDto, nullable: true }) signature: OverlaySignatureDto | null;
  @ApiProperty({ type: String, nullable: true }) keyId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When stored as signed' })
  signedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class OverlayListDto {
  @ApiProperty({ type: [OverlayDto] }) items: OverlayDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListOverlaysQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) overlayId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) capability?: string;
  @ApiPropertyOptional({ enum: OVERLAY_STATUSES })
  @IsOptional()
  @IsIn(OVERLAY_STATUSES)
  status?: (typeof OVERLAY_STATUSES)[number];
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_LIST_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_LIST_OFFSET)
  offset?: number;
}

export class OverlayVersionQueryDto {
  @ApiPropertyOptional({ description: 'Defaults to the newest version', minimum: 1, maximum: MAX_VERSION })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;
}

export class SignOverlayRequestDto {
  @ApiPropertyOptional({ description: "Defaults to the tenant's newest active key held by the server" })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  keyId?: string;

  @ApiPropertyOptional({
    description: 'The draft version to sign; defaults to the newest version',
    minimum: 1,
    maximum: MAX_VERSION,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;
}

export class SignedOverlayDto {
  @ApiProperty({ type: OverlaySpecDto }) @IsObject() spec: Record<string, unknown>;
  @ApiProperty({ type: OverlaySignatureDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OverlaySignatureDto)
  signature: OverlaySignatureDto;
}

export class VerifyResultDto {
  @ApiProperty() valid: boolean;
  @ApiPropertyOptional({
    enum: [
      'malformed',
      'unsupported_algorithm',
      'unknown_key',
      'key_revoked',
      'algorithm_mismatch',
      'invalid_key',
      'tampered',
      'tenant_mismatch',
    ],
  })
  reason?: string;
}

export class ArchiveResultDto {
  @ApiProperty() overlayId: string;
  @ApiProperty({ description: 'Versions archived by this call' }) archived: number;
}
