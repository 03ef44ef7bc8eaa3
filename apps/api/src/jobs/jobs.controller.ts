import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JOB_RUNNER, type JobRunner } from '@lssm/behavior-core';
import { RequireTenantAdmin } from '../auth/auth-metadata.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { JobListDto, JobRunDto } from './jobs.dto.js';

@ApiTags('jobs')
@RequireTenantAdmin()
@Controller('api/ai-behavior/jobs')
export class JobsController {
  constructor(@Inject(JOB_RUNNER) private readonly runner: JobRunner) {}

  @Get()
  @ApiOperation({
    operationId: 'listJobs',
    summary: 'Scheduled tasks with their schedule, next and last run',
  })
  @ApiOkResponse({ type: JobListDto })
  async list(): Promise<JobListDto> {
    return { runnerType: this.runner.runnerType, tasks: await this.runner.tasks() };
  }

  @Post(':name/run')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'runJob',
    summary: 'Run a task now and wait for its result (a tenant admin key runs it for its own tenant only)',
  })
  @ApiOkResponse({ type: JobRunDto })
  async run(@Param('name') name: string, @CurrentPrincipal() principal: Principal): Promise<JobRunDto> {
    const tasks = await this.runner.tasks();
    const task = tasks.find((t) => t.id === name || t.handler === name);
    if (!task) throw new NotFoundException({ message: `No job named "${name}"`, code: 'job_not_found' });
    const tenantId = principal.kind === 'tenant' ? principal.tenantId : undefined;
    return this.runner.runNow(task.handler, {}, { tenantId });
  }
}
