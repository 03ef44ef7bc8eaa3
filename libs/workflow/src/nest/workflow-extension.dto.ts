import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { WORKFLOW_ID_PATTERN, WorkflowParamsDto, WorkflowTransitionDto } from './workflow.dto.js';

export const MAX_OPERATIONS = 1000;
const json = { type: 'object', additionalProperties: true } as const;

export class WorkflowStepInputDto {
  @ApiProperty({ example: 'legal-review' }) id: string;
  @ApiProperty({ example: 'review' }) type: string;
  @ApiProperty({ example: 'Legal review' }) label: string;
  @ApiPropertyOptional({
    type: [WorkflowTransitionDto],
    description: 'Omit to let the composer wire the step in at its anchor',
  })
  transitions?: WorkflowTransitionDto[];
  @ApiPropertyOptional({ ...json }) config?: Record<string, unknown>;
}

export class InsertBeforeOperationDto {
  @ApiProperty({ enum: ['insertBefore'] }) type: 'insertBefore';
  @ApiProperty({ description: 'Step id the new step goes before' }) anchor: string;
  @ApiProperty({ type: WorkflowStepInputDto }) step: WorkflowStepInputDto;
}

export class InsertAfterOperationDto {
  @ApiProperty({ enum: ['insertAfter'] }) type: 'insertAfter';
  @ApiProperty({ description: 'Step id the new step goes after' }) anchor: string;
  @ApiProperty({ type: WorkflowStepInputDto }) step: WorkflowStepInputDto;
}

export class ReplaceStepOperationDto {
  @ApiProperty({ enum: ['replaceStep'] }) type: 'replaceStep';
  @ApiProperty({ description: 'Step id to replace' }) anchor: string;
  @ApiProperty({ type: WorkflowStepInputDto }) step: WorkflowStepInputDto;
}

export class RemoveStepOperationDto {
  @ApiProperty({ enum: ['removeStep'] }) type: 'removeStep';
  @ApiProperty({ description: 'Step id to remove; its predecessors are joined to its successors' })
  anchor: string;
}

export class AddTransitionOperationDto {
  @ApiProperty({ enum: ['addTransition'] }) type: 'addTransition';
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiPropertyOptional() on?: string;
}

export class SetLabelOperationDto {
  @ApiProperty({ enum: ['setLabel'] }) type: 'setLabel';
  @ApiProperty() anchor: string;
  @ApiProperty() label: string;
}

export const OPERATION_DTOS = [
  InsertBeforeOperationDto,
  InsertAfterOperationDto,
  ReplaceStepOperationDto,
  RemoveStepOperationDto,
  AddTransitionOperationDto,
  SetLabelOperationDto,
];

// A discriminated union, so generated clients get one type per operation.
const operationsSchema = {
  type: 'array',
  items: {
    oneOf: OPERATION_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
    discriminator: {
      propertyName: 'type',
      mapping: {
        insertBefore: getSchemaPath(InsertBeforeOperationDto),
        insertAfter: getSchemaPath(InsertAfterOperationDto),
        replaceStep: getSchemaPath(ReplaceStepOperationDto),
        removeStep: getSchemaPath(RemoveStepOperationDto),
        addTransition: getSchemaPath(AddTransitionOperationDto),
        setLabel: getSchemaPath(SetLabelOperationDto),
      },
    },
  },
} as const;

export class ExtensionScopeBodyDto {
  @ApiPropertyOptional({ example: 'manager' }) @IsOptional() @IsString() @Length(1, 200) role?: string;
  @ApiPropertyOptional({ example: 'mobile' }) @IsOptional() @IsString() @Length(1, 200) device?: string;
}

export class ExtensionScopeDto {
  @ApiProperty({ description: "The caller's tenant" }) tenantId: string;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() device?: string;
}

// Operations, priority and the pin are checked by the core's validateExtensionShape (422 with
// a path per problem); the DTO bounds the envelope. The tenant comes from the API key.
export class PutWorkflowExtensionDto {
  @ApiPropertyOptional({ description: 'Optional; must equal the path extension id when sent' })
  @Allow()
  extensionId?: string;

  @ApiPropertyOptional({ description: 'Optional; must equal the path workflow id when sent' })
  @Allow()
  workflowId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Pin: the extension only fits this base version',
  })
  @Allow()
  baseVersion?: number;

  @ApiPropertyOptional({
    type: ExtensionScopeBodyDto,
    description: 'Absent or {} = every user of the tenant',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExtensionScopeBodyDto)
  scope?: ExtensionScopeBodyDto;

  @ApiPropertyOptional({
    default: 0,
    description: 'Ascending: higher priorities land closer to their anchor',
  })
  @Allow()
  priority?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;

  @ApiProperty({ ...operationsSchema, maxItems: MAX_OPERATIONS })
  @IsArray()
  @ArrayMaxSize(MAX_OPERATIONS)
  operations: Record<string, unknown>[];
}

export class WorkflowExtensionParamsDto extends WorkflowParamsDto {
  @ApiProperty({ example: 'acme-approval', pattern: WORKFLOW_ID_PATTERN.source })
  @Matches(WORKFLOW_ID_PATTERN, { message: 'extensionId must match ' + WORKFLOW_ID_PATTERN.source })
  extensionId: string;
}

/** The stored extension: exactly the core's WorkflowExtension, plus timestamps. */
export class WorkflowExtensionDto {
  @ApiProperty() extensionId: string;
  @ApiProperty() workflowId: string;
  @ApiPropertyOptional({ type: 'integer' }) baseVersion?: number;
  @ApiProperty({ type: ExtensionScopeDto }) scope: ExtensionScopeDto;
  @ApiPropertyOptional() priority?: number;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ ...operationsSchema }) operations: Record<string, unknown>[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class WorkflowExtensionListDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({
    type: [WorkflowExtensionDto],
    description: 'In the order the composer applies them (specificity, priority, id)',
  })
  items: WorkflowExtensionDto[];
}
