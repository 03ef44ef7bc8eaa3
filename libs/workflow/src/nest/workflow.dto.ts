import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsInt, Matches, Max, Min } from 'class-validator';

/** Workflow and extension ids: safe in a URL path segment, bounded. */
export const WORKFLOW_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MAX_STEPS = 1000;
/** Versions are stored as Postgres integers. */
export const MAX_VERSION = 2_147_483_647;
const json = { type: 'object', additionalProperties: true } as const;

export class WorkflowTransitionDto {
  @ApiProperty({ example: 'review' }) to: string;
  @ApiPropertyOptional({ example: 'approve', description: 'The outcome or event that takes the transition' })
  on?: string;
}

export class WorkflowStepDto {
  @ApiProperty({ example: 'submit' }) id: string;
  @ApiProperty({ example: 'task', description: 'task, review, approval, notification, gateway…' })
  type: string;
  @ApiProperty({ example: 'Submit' }) label: string;
  @ApiProperty({ type: [WorkflowTransitionDto] }) transitions: WorkflowTransitionDto[];
  @ApiPropertyOptional({ ...json, description: 'Opaque settings for the runtime (approver role, channel…)' })
  config?: Record<string, unknown>;
}

export class WorkflowSpecDto {
  @ApiProperty({ example: 'purchase-order' }) id: string;
  @ApiProperty({ type: 'integer', example: 1, minimum: 1 }) version: number;
  @ApiPropertyOptional({ example: 'Purchase order' }) name?: string;
  @ApiProperty({ example: 'draft' }) start: string;
  @ApiProperty({ type: [WorkflowStepDto] }) steps: WorkflowStepDto[];
  @ApiProperty({ type: [String], example: ['ordered', 'cancelled'] }) terminal: string[];
}

// The workflow's content is checked by the core's validateWorkflow (422 with a path per
// problem); the DTO only bounds the envelope.
export class PutWorkflowVersionDto {
  @ApiPropertyOptional({ description: 'Optional; must equal the path id when sent' })
  @Allow()
  id?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Optional; must equal the path version when sent' })
  @Allow()
  version?: number;

  @ApiPropertyOptional({ example: 'Purchase order' }) @Allow() name?: string;
  @ApiProperty({ example: 'draft', description: 'Id of the first step' }) @Allow() start: string;

  @ApiProperty({ type: [WorkflowStepDto], maxItems: MAX_STEPS })
  @IsArray()
  @ArrayMaxSize(MAX_STEPS)
  steps: Record<string, unknown>[];

  @ApiProperty({
    type: [String],
    maxItems: MAX_STEPS,
    description: 'Ids of the steps where the flow may end',
  })
  @IsArray()
  @ArrayMaxSize(MAX_STEPS)
  terminal: string[];
}

export class WorkflowCandidateDto extends OmitType(PutWorkflowVersionDto, ['version'] as const) {
  @ApiProperty({
    type: 'integer',
    example: 2,
    minimum: 1,
    description: 'The version the candidate would be published as',
  })
  @Allow()
  version: number;
}

export class WorkflowParamsDto {
  @ApiProperty({ example: 'purchase-order', pattern: WORKFLOW_ID_PATTERN.source })
  @Matches(WORKFLOW_ID_PATTERN, { message: 'id must match ' + WORKFLOW_ID_PATTERN.source })
  id: string;
}

export class WorkflowVersionParamsDto extends WorkflowParamsDto {
  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: MAX_VERSION })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version: number;
}

export class WorkflowVersionDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: WorkflowSpecDto }) spec: WorkflowSpecDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class WorkflowVersionSummaryDto {
  @ApiProperty() version: number;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class WorkflowVersionListDto {
  @ApiProperty() workflowId: string;
  @ApiProperty() latestVersion: number;
  @ApiProperty({ type: [WorkflowVersionSummaryDto], description: 'Newest first' })
  items: WorkflowVersionSummaryDto[];
}

export class WorkflowSummaryDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ type: String, nullable: true, description: 'Name of the newest version' })
  name: string | null;
  @ApiProperty() latestVersion: number;
  @ApiProperty({ type: [Number], description: 'Newest first' }) versions: number[];
  @ApiProperty() extensionCount: number;
}

export class WorkflowListDto {
  @ApiProperty({ type: [WorkflowSummaryDto] }) items: WorkflowSummaryDto[];
}
