import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { JobContext, ScheduledTask } from '../contracts/job-runner.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from '../jobs/behavior-job.decorators.js';
import { JobCursorRepository } from '../jobs/job-cursor.repository.js';
import { BehaviorAnalysisService, type AnalysisRunResult } from './behavior-analysis.service.js';

/** Metrics written by a projection that started this long before a run may commit after it. */
const CURSOR_OVERLAP_MS = 60_000;

/**
 * The two scheduled analysis tasks, declared as data (cron from config) and run by
 * whichever job runner is configured. Both are set-based over chunks of users.
 */
@BehaviorScheduledTasks()
@Injectable()
export class BehaviorAnalysisJobs implements ScheduledTaskSource {
  constructor(
    private readonly analysis: BehaviorAnalysisService,
    private readonly cursors: JobCursorRepository,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  scheduledTasks(): ScheduledTask[] {
    const { processing } = this.options.settings;
    return [
      {
        id: 'pattern-detection',
        cron: processing.patternDetection.schedule,
        handler: 'pattern-detection',
        description: 'Insights and segments for users whose metrics changed since the last run',
      },
      {
        id: 'segmentation',
        cron: processing.segmentation.schedule,
        handler: 'segmentation',
        description: 'Insights and segments for every user (dormancy moves without new signals)',
      },
    ];
  }

  @BehaviorJobHandler('pattern-detection')
  async patternDetection(_payload: Record<string, unknown>, context: JobContext): Promise<AnalysisRunResult> {
    // A tenant admin's run covers its tenant and leaves the shared cursor alone.
    const name = context.tenantId ? `pattern-detection:${context.tenantId}` : 'pattern-detection';
    const startedAt = await this.cursors.databaseNow();
    const since = await this.cursors.get(name);
    const result = await this.analysis.analyzeScope(
      since
        ? { kind: 'changed', since, tenantId: context.tenantId }
        : { kind: 'all', tenantId: context.tenantId },
    );
    await this.cursors.set(name, new Date(startedAt.getTime() - CURSOR_OVERLAP_MS));
    return result;
  }

  @BehaviorJobHandler('segmentation')
  segmentation(_payload: Record<string, unknown>, context: JobContext): Promise<AnalysisRunResult> {
    return this.analysis.analyzeScope({ kind: 'all', tenantId: context.tenantId });
  }
}
