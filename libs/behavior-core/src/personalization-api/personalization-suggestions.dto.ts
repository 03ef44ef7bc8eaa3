import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OverlayDto } from '@lssm/overlay/nest';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  PersonalizationAnalysisScopeDto,
  PersonalizationInsightsDto,
} from './personalization-insights.dto.js';
import { MAX_USER_ID_LENGTH } from '../queries/user-id.pipe.js';

// The overlay service's id rule (and its limits on names), checked here so a bad request is a 400.
const OVERLAY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const json = { type: 'object', additionalProperties: true } as const;

export const SUGGESTION_OUTCOMES = [
  'draft_created',
  'draft_updated',
  'workflow_tweaks_only',
  'nothing_to_suggest',
] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];

export class SuggestionScopeDto {
  @ApiPropertyOptional({ example: 'clerk' }) @IsOptional() @IsString() @Length(1, 200) role?: string;
  @ApiPropertyOptional({ example: 'manager-42' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_USER_ID_LENGTH)
  userId?: string;
  @ApiPropertyOptional({ example: 'web' }) @IsOptional() @IsString() @Length(1, 200) device?: string;
}

export class CreatePersonalizationSuggestionDto extends PersonalizationAnalysisScopeDto {
  @ApiProperty({
    example: 'acme-order-form',
    pattern: OVERLAY_ID.source,
    description: 'The overlay the draft is stored as (a new version when it already has signed ones)',
  })
  @IsString()
  @Matches(OVERLAY_ID, { message: 'overlayId must match ' + OVERLAY_ID.source })
  overlayId: string;

  @ApiProperty({ example: 'billing.createOrder', description: 'Overlay capability = tracked `operation`' })
  @IsString()
  @Length(1, 200)
  capability: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 1000,
    description:
      "The capability's known fields, so fields nobody touched are hidden too. Default: the field names " +
      'of the stored base spec of the capability, when there is one.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 256, { each: true })
  fields?: string[];

  @ApiPropertyOptional({
    type: SuggestionScopeDto,
    description:
      'Overlay scope; default from the analysis: { userId } per user, { role } per role, {} tenant-wide',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SuggestionScopeDto)
  scope?: SuggestionScopeDto;

  @ApiPropertyOptional({
    default: false,
    description:
      'When the overlay already has an unsigned draft: replace its contents with this suggestion ' +
      '(otherwise 409 draft_exists, so an edited draft is never overwritten by accident)',
  })
  @IsOptional()
  @IsBoolean()
  replaceDraft?: boolean;

  @ApiPropertyOptional({
    ...json,
    description:
      'Base workflow specs by the workflow name the tracker used; bottleneck steps of these get workflow ' +
      'tweaks (returned, not stored: submit them as workflow extensions after review)',
    example: {
      'invoice-approval': { id: 'invoice-approval', version: 1, start: 'draft', steps: [], terminal: [] },
    },
  })
  @IsOptional()
  @IsObject()
  workflows?: Record<string, unknown>;
}

export class PersonalizationSuggestionDto {
  @ApiProperty({ enum: SUGGESTION_OUTCOMES }) outcome: SuggestionOutcome;
  @ApiProperty({
    example: 'Stored draft version 1 of acme-order-form: hide 1 field, reorder 1; sign it to publish.',
  })
  message: string;
  // A class type (not a $ref string): Nest then writes `type: object` beside `nullable`, without
  // which OpenAPI 3.0 ignores the `nullable`.
  @ApiProperty({
    type: () => OverlayDto,
    nullable: true,
    description: 'The stored overlay draft (status `draft`), ready for POST /api/overlays/{overlayId}/sign',
  })
  draft: unknown;
  @ApiProperty({
    type: 'array',
    items: json,
    description:
      'Workflow extensions (`@lssm/workflow` WorkflowExtension) for the bottlenecks of `workflows`',
  })
  workflowTweaks: unknown[];
  @ApiProperty({ type: PersonalizationInsightsDto, description: 'The analysis the suggestion is based on' })
  insights: PersonalizationInsightsDto;
}
