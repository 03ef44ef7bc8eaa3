import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { JOB_RUNNER, type JobRunState, type JobRunner } from '@lssm/behavior-core';
import { APP_CONFIG } from '../api.tokens.js';
import { CurrentPrincipal, RequireTenantAdmin, type Principal } from '@lssm/nest-common';
import type { AppConfig } from '../config/app-config.js';
import { JobListDto, JobRunDto, JobRunPendingDto } from './jobs.dto.js';

/**
 * A tenant admin key sees and runs jobs for its own tenant only: its task list shows the last
 * run it asked for (never a run over all tenants, whose result counts every tenant), and a run
 * id of another scope is a 404. The service admin key sees and runs everything.
 */
@ApiTags('jobs')
@RequireTenantAdmin()
@ApiExtraModels(JobRunDto, JobRunPendingDto)
@Controller('api/ai-behavior/jobs')
export class JobsController {
  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listJobs',
    summary: 'Scheduled tasks with their schedule, next and last run (a tenant key: its own runs only)',
  })
  @ApiOkResponse({ type: JobListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<JobListDto> {
    return {
      runnerType: this.runner.runnerType,
      tasks: await this.runner.tasks({ tenantId: tenantOf(principal) }),
    };
  }

  @Post(':name/run')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'runJob',
    summary:
      'Run a task now and wait a bounded time (ai.behavior.processing.runWaitMs) for its result: 200 with ' +
      'the outcome, or 202 with the run id when it has not finished by then (see GET /jobs/runs/{runId}). ' +
      'A tenant admin key runs it for its own tenant only.',
  })
  @ApiOkResponse({ type: JobRunDto, description: 'The run finished (completed or failed)' })
  @ApiAcceptedResponse({
    type: JobRunPendingDto,
    description: 'The run is queued or running; poll GET /api/ai-behavior/jobs/runs/{runId}',
  })
  @ApiNotFoundResponse({ description: 'No such job (code job_not_found)' })
  async run(
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobRunDto | JobRunPendingDto> {
    const tasks = await this.runner.tasks();
    const task = tasks.find((t) => t.id === name || t.handler === name);
    if (!task) throw new NotFoundException({ message: `No job named "${name}"`, code: 'job_not_found' });
    const tenantId = tenantOf(principal);
    const runId = await this.runner.enqueue(task.handler, {}, { tenantId });
    const done = await this.runner.waitForRun(runId, this.config.ai.behavior.processing.runWaitMs);
    if (done) return done;
    // Not finished within the bound (e.g. no worker process is running): the run stays queued.
    reply.status(202);
    const state = await this.runner.getRun(runId);
    return pendingView(state, runId, task.handler, tenantId);
  }

  @Get('runs/:runId')
  @ApiOperation({
    operationId: 'getJobRun',
    summary: 'One run by id: queued, running, completed or failed (a tenant key: its own runs only)',
  })
  @ApiOkResponse({
    description: 'The run: finished (JobRunDto) or not yet (JobRunPendingDto)',
    schema: { oneOf: [{ $ref: getSchemaPath(JobRunDto) }, { $ref: getSchemaPath(JobRunPendingDto) }] },
  })
  @ApiNotFoundResponse({ description: 'No run with this id in your scope (code job_run_not_found)' })
  async getRun(
    @Param('runId') runId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<JobRunDto | JobRunPendingDto> {
    const tenantId = tenantOf(principal);
    // Bounded id: BullMQ ids are counters, in-process ones UUIDs.
    const run = runId.length <= 64 && /^[\w-]+$/.test(runId) ? await this.runner.getRun(runId) : null;
    if (!run || (tenantId !== undefined && run.tenantId !== tenantId)) {
      throw new NotFoundException({ message: `No job run "${runId}"`, code: 'job_run_not_found' });
    }
    return run;
  }
}

function tenantOf(principal: Principal): string | undefined {
  return principal.kind === 'tenant' ? principal.tenantId : undefined;
}

function pendingView(
  state: JobRunState | null,
  runId: string,
  name: string,
  tenantId: string | undefined,
): JobRunDto | JobRunPendingDto {
  if (state) return state;
  return {
    jobId: runId,
    name,
    status: 'queued',
    queuedAt: new Date().toISOString(),
    ...(tenantId && { tenantId }),
  };
}
