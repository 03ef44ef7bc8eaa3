import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, RequireAnyScope, RequireScopes, TenantId } from '@lssm/nest-common';
import { WorkflowErrorResponseDto } from './workflow-error.dto.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import {
  CompatibilityReportDto,
  ComposedWorkflowDto,
  ComposeQueryDto,
  StepProvenanceDto,
} from './workflow-composition.dto.js';
import { WorkflowCompositionService } from './workflow-composition.service.js';
import {
  PutWorkflowVersionDto,
  WorkflowCandidateDto,
  WorkflowListDto,
  WorkflowParamsDto,
  WorkflowVersionDto,
  WorkflowVersionListDto,
  WorkflowVersionParamsDto,
} from './workflow.dto.js';
import { MAX_LISTED } from './workflow-base.repository.js';

/** The part of Fastify's reply used here, so the library needs no Fastify types. */
interface StatusReply {
  status(code: number): unknown;
}

/**
 * Every handler takes the tenant from the API key (TenantId), never from the path or
 * body, and every query is scoped by it.
 */
@ApiTags('workflows')
@ApiExtraModels(StepProvenanceDto)
@ApiErrorResponses(
  { 401: 'Missing, unknown or revoked API key', 403: 'The key lacks the scope' },
  WorkflowErrorResponseDto,
)
@Controller('api/workflows')
export class WorkflowsController {
  constructor(
    private readonly bases: WorkflowBasesService,
    private readonly composition: WorkflowCompositionService,
  ) {}

  @Get()
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'listWorkflows',
    summary: `The tenant's workflows and their versions (the first ${MAX_LISTED} workflows by id, each with its newest ${MAX_LISTED} versions)`,
  })
  @ApiOkResponse({ type: WorkflowListDto })
  list(@TenantId() tenantId: string): Promise<WorkflowListDto> {
    return this.bases.list(tenantId);
  }

  @Get(':id')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'getWorkflow', summary: 'The newest base version of a workflow' })
  @ApiOkResponse({ type: WorkflowVersionDto })
  @ApiErrorResponses(
    { 400: 'Malformed workflow id', 404: 'Unknown workflow (workflow_not_found)' },
    WorkflowErrorResponseDto,
  )
  latest(@TenantId() tenantId: string, @Param() params: WorkflowParamsDto): Promise<WorkflowVersionDto> {
    return this.bases.get(tenantId, params.id);
  }

  @Get(':id/versions')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'listWorkflowVersions',
    summary: `The base versions of a workflow, newest first (at most ${MAX_LISTED})`,
  })
  @ApiOkResponse({ type: WorkflowVersionListDto })
  @ApiErrorResponses(
    { 400: 'Malformed workflow id', 404: 'Unknown workflow (workflow_not_found)' },
    WorkflowErrorResponseDto,
  )
  versions(
    @TenantId() tenantId: string,
    @Param() params: WorkflowParamsDto,
  ): Promise<WorkflowVersionListDto> {
    return this.bases.versions(tenantId, params.id);
  }

  @Get(':id/versions/:version')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'getWorkflowVersion', summary: 'One base version of a workflow' })
  @ApiOkResponse({ type: WorkflowVersionDto })
  @ApiErrorResponses(
    {
      400: 'Malformed workflow id or version',
      404: 'Unknown workflow (workflow_not_found) or version (workflow_version_not_found)',
    },
    WorkflowErrorResponseDto,
  )
  version(
    @TenantId() tenantId: string,
    @Param() params: WorkflowVersionParamsDto,
  ): Promise<WorkflowVersionDto> {
    return this.bases.get(tenantId, params.id, params.version);
  }

  @Put(':id/versions/:version')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'putWorkflowVersion',
    summary: 'Publish a base version (idempotent; a stored version never changes)',
  })
  @ApiCreatedResponse({ type: WorkflowVersionDto, description: 'Stored' })
  @ApiOkResponse({ type: WorkflowVersionDto, description: 'Already stored with the same content' })
  @ApiErrorResponses(
    {
      400: 'Malformed envelope, id or version',
      409: 'The version exists with other content (version_exists)',
      422: 'The workflow is invalid (invalid_workflow) or contradicts the path (path_mismatch)',
    },
    WorkflowErrorResponseDto,
  )
  async put(
    @TenantId() tenantId: string,
    @Param() params: WorkflowVersionParamsDto,
    @Body() body: PutWorkflowVersionDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<WorkflowVersionDto> {
    const { dto, created } = await this.bases.put(tenantId, params.id, params.version, body);
    reply.status(created ? 201 : 200);
    return dto;
  }

  @Get(':id/compose')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'composeWorkflow',
    summary: "The base merged with the caller's extensions that match the role and device, with provenance",
  })
  @ApiOkResponse({ type: ComposedWorkflowDto })
  @ApiErrorResponses(
    {
      400: 'Malformed id or query',
      404: 'Unknown workflow or version',
      422: 'Composition failed (missing_anchor, invalid_result, base_version_mismatch, …); details name the extension and anchor',
    },
    WorkflowErrorResponseDto,
  )
  compose(
    @TenantId() tenantId: string,
    @Param() params: WorkflowParamsDto,
    @Query() query: ComposeQueryDto,
  ): Promise<ComposedWorkflowDto> {
    return this.composition.compose(tenantId, params.id, query);
  }

  @Post(':id/check')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'checkWorkflowCompatibility',
    summary: "Which of the tenant's extensions a candidate base version would break, before publishing it",
  })
  @ApiOkResponse({ type: CompatibilityReportDto })
  @ApiErrorResponses(
    {
      400: 'Malformed envelope or id',
      422: 'The candidate is invalid (invalid_workflow) or contradicts the path (path_mismatch)',
    },
    WorkflowErrorResponseDto,
  )
  check(
    @TenantId() tenantId: string,
    @Param() params: WorkflowParamsDto,
    @Body() body: WorkflowCandidateDto,
  ): Promise<CompatibilityReportDto> {
    return this.composition.check(tenantId, params.id, body);
  }
}
