import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_ALERT_SETTINGS } from '../behavior-core.tokens.js';
import type { ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { JobContext, ScheduledTask } from '../contracts/job-runner.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from '../jobs/behavior-job.decorators.js';
import type { ResolvedAlertSettings } from './alert-settings.js';
import { AnomalyDetectionService, type AnomalyDetectionResult } from './anomaly-detection.service.js';

/** The `anomaly-detection` task; provided only when an enabled add-on lists anomaly rules. */
@BehaviorScheduledTasks()
@Injectable()
export class AnomalyDetectionJobs implements ScheduledTaskSource {
  constructor(
    private readonly detection: AnomalyDetectionService,
    @Inject(BEHAVIOR_ALERT_SETTINGS) private readonly settings: ResolvedAlertSettings,
  ) {}

  scheduledTasks(): ScheduledTask[] {
    return [
      {
        id: 'anomaly-detection',
        cron: this.settings.schedule,
        handler: 'anomaly-detection',
        description: `Catch-up of the anomaly rules (${this.settings.rules.join(', ')}), which workers also run continuously as stream consumers`,
      },
    ];
  }

  // The signal stream is shared, so a tenant admin's run advances every tenant's checkpoint;
  // its result counts only its own tenant's new alerts.
  @BehaviorJobHandler('anomaly-detection')
  anomalyDetection(_payload: Record<string, unknown>, context: JobContext): Promise<AnomalyDetectionResult> {
    return this.detection.run({ tenantId: context.tenantId });
  }
}
