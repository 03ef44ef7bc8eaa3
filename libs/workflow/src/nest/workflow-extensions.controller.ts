import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses, RequireAnyScope, RequireScopes, TenantId } from '@lssm/nest-common';
import { WorkflowErrorResponseDto } from './workflow-error.dto.js';
import {
  OPERATION_DTOS,
  PutWorkflowExtensionDto,
  WorkflowExtensionDto,
  WorkflowExtensionListDto,
  WorkflowExtensionParamsDto,
} from './workflow-extension.dto.js';
import { WorkflowExtensionsService } from './workflow-extensions.service.js';
import { WorkflowParamsDto } from './workflow.dto.js';

interface StatusReply {
  status(code: number): unknown;
}

/** Extensions of the caller's workflows; the scope's tenant is always the key's tenant. */
@ApiTags('workflows')
@ApiExtraModels(...OPERATION_DTOS)
@ApiErrorResponses(
  { 401: 'Missing, unknown or revoked API key', 403: 'The key lacks the scope' },
  WorkflowErrorResponseDto,
)
@Controller('api/workflows/:id/extensions')
export class WorkflowExtensionsController {
  constructor(private readonly extensions: WorkflowExtensionsService) {}

  @Get()
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'listWorkflowExtensions',
    summary: 'The extensions of a workflow, in the order the composer applies them',
  })
  @ApiOkResponse({ type: WorkflowExtensionListDto })
  @ApiErrorResponses(
    { 400: 'Malformed workflow id', 404: 'Unknown workflow (workflow_not_found)' },
    WorkflowErrorResponseDto,
  )
  list(@TenantId() tenantId: string, @Param() params: WorkflowParamsDto): Promise<WorkflowExtensionListDto> {
    return this.extensions.list(tenantId, params.id);
  }

  @Get(':extensionId')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'getWorkflowExtension', summary: 'One extension' })
  @ApiOkResponse({ type: WorkflowExtensionDto })
  @ApiErrorResponses(
    {
      400: 'Malformed id',
      404: 'Unknown workflow (workflow_not_found) or extension (extension_not_found)',
    },
    WorkflowErrorResponseDto,
  )
  get(
    @TenantId() tenantId: string,
    @Param() params: WorkflowExtensionParamsDto,
  ): Promise<WorkflowExtensionDto> {
    return this.extensions.get(tenantId, params.id, params.extensionId);
  }

  @Put(':extensionId')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'putWorkflowExtension',
    summary: 'Create or replace an extension; it is checked against the base version it targets',
  })
  @ApiCreatedResponse({ type: WorkflowExtensionDto, description: 'Created' })
  @ApiOkResponse({ type: WorkflowExtensionDto, description: 'Replaced' })
  @ApiErrorResponses(
    {
      400: 'Malformed envelope or id',
      404: 'Unknown workflow (workflow_not_found)',
      409: 'Storing it would break other extensions (breaks_extensions; details name them), or the workflow already has 100 extensions (too_many_extensions)',
      422: 'Malformed (invalid_extension), does not fit its base (incompatible_extension: details name the anchor), pinned to an unknown version (base_version_not_found), or contradicts the path (path_mismatch)',
    },
    WorkflowErrorResponseDto,
  )
  async put(
    @TenantId() tenantId: string,
    @Param() params: WorkflowExtensionParamsDto,
    @Body() body: PutWorkflowExtensionDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<WorkflowExtensionDto> {
    const { dto, created } = await this.extensions.put(tenantId, params.id, params.extensionId, body);
    reply.status(created ? 201 : 200);
    return dto;
  }

  @Delete(':extensionId')
  @HttpCode(204)
  @RequireScopes('admin')
  @ApiOperation({ operationId: 'deleteWorkflowExtension', summary: 'Delete an extension' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(
    {
      400: 'Malformed id',
      404: 'Unknown workflow (workflow_not_found) or extension (extension_not_found)',
      409: 'Other extensions anchor on steps it adds (extension_in_use); details name them',
    },
    WorkflowErrorResponseDto,
  )
  async delete(@TenantId() tenantId: string, @Param() params: WorkflowExtensionParamsDto): Promise<void> {
    await this.extensions.delete(tenantId, params.id, params.extensionId);
  }
}
