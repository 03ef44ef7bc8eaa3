import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ExtensionScopeDto } from './workflow-extension.dto.js';
import { WorkflowSpecDto } from './workflow.dto.js';

const OPERATION_TYPES = [
  'insertBefore',
  'insertAfter',
  'replaceStep',
  'removeStep',
  'addTransition',
  'setLabel',
] as const;
const CHANGE_KINDS = [
  'inserted',
  'replaced',
  'rewired',
  'relabelled',
  'transition-added',
  'became-start',
  'became-terminal',
] as const;
export const COMPOSITION_ERROR_CODES = [
  'invalid_context',
  'invalid_base',
  'invalid_extension',
  'duplicate_extension',
  'base_version_mismatch',
  'missing_anchor',
  'duplicate_step',
  'ambiguous_start',
  'invalid_result',
  'incompatible_merge',
] as const;
const VALIDATION_CODES = [
  'invalid_shape',
  'duplicate_step_id',
  'unknown_start',
  'no_terminal',
  'unknown_terminal',
  'duplicate_terminal',
  'unknown_transition_target',
  'duplicate_transition',
  'unreachable_step',
  'no_path_to_terminal',
] as const;

export class ComposeQueryDto {
  @ApiPropertyOptional({ example: 'manager' }) @IsOptional() @IsString() @Length(1, 200) role?: string;
  @ApiPropertyOptional({ example: 'mobile' }) @IsOptional() @IsString() @Length(1, 200) device?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Base version to compose; defaults to the newest',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;
}

export class CompositionContextDto {
  @ApiProperty() tenantId: string;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() device?: string;
}

export class AppliedExtensionDto {
  @ApiProperty() extensionId: string;
  @ApiProperty({ type: ExtensionScopeDto }) scope: ExtensionScopeDto;
  @ApiProperty({ enum: [0, 1, 2, 3], description: '0 tenant, 1 role, 2 device, 3 role and device' })
  specificity: number;
  @ApiProperty() priority: number;
  @ApiProperty() operationCount: number;
}

export class StepChangeDto {
  @ApiProperty() extensionId: string;
  @ApiProperty({ enum: OPERATION_TYPES }) operation: string;
  @ApiProperty() operationIndex: number;
  @ApiProperty({ enum: CHANGE_KINDS }) kind: string;
  @ApiProperty() detail: string;
}

export class StepProvenanceDto {
  @ApiProperty() stepId: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Extension that added the step; null for base steps',
  })
  addedBy: string | null;
  @ApiProperty({ type: [StepChangeDto], description: 'In application order' }) changes: StepChangeDto[];
}

export class RemovedStepDto {
  @ApiProperty() stepId: string;
  @ApiProperty() extensionId: string;
  @ApiProperty({ enum: ['removeStep', 'replaceStep'] }) operation: string;
  @ApiPropertyOptional() replacedBy?: string;
}

export class ComposedWorkflowDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ description: 'The base version that was composed' }) baseVersion: number;
  @ApiProperty({ type: CompositionContextDto }) context: CompositionContextDto;
  @ApiProperty({ type: WorkflowSpecDto }) workflow: WorkflowSpecDto;
  @ApiProperty({ type: [AppliedExtensionDto], description: 'In application order' })
  applied: AppliedExtensionDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/StepProvenanceDto' },
    description: 'One entry per step of the composed workflow, by step id',
  })
  provenance: Record<string, StepProvenanceDto>;
  @ApiProperty({ type: [RemovedStepDto] }) removed: RemovedStepDto[];
}

export class WorkflowValidationErrorDto {
  @ApiProperty({ enum: VALIDATION_CODES }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() stepId?: string;
  @ApiPropertyOptional() target?: string;
  @ApiPropertyOptional() path?: string;
}

export class CompatibilityIssueDto {
  @ApiProperty({ enum: COMPOSITION_ERROR_CODES }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() anchor?: string;
  @ApiPropertyOptional() operationIndex?: number;
  @ApiPropertyOptional({ type: [WorkflowValidationErrorDto] }) errors?: WorkflowValidationErrorDto[];
  @ApiProperty({ type: [CompositionContextDto], description: 'The contexts in which the issue shows up' })
  contexts: CompositionContextDto[];
}

export class ExtensionCompatibilityDto {
  @ApiProperty() extensionId: string;
  @ApiProperty({ type: ExtensionScopeDto }) scope: ExtensionScopeDto;
  @ApiProperty() compatible: boolean;
  @ApiProperty({ type: [CompatibilityIssueDto] }) issues: CompatibilityIssueDto[];
}

export class CompatibilityReportDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ description: 'The candidate version' }) baseVersion: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The newest stored version; null if none' })
  latestVersion: number | null;
  @ApiProperty({ description: 'True when no stored extension breaks' }) compatible: boolean;
  @ApiProperty({
    type: [WorkflowValidationErrorDto],
    description: 'Always empty here: an invalid candidate is answered with 422',
  })
  baseErrors: WorkflowValidationErrorDto[];
  @ApiProperty({ type: [ExtensionCompatibilityDto], description: "Every one of the tenant's extensions" })
  extensions: ExtensionCompatibilityDto[];
  @ApiProperty({ type: [ExtensionCompatibilityDto], description: 'The subset that would break' })
  breaking: ExtensionCompatibilityDto[];
}
