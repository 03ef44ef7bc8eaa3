import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { JobContext, ScheduledTask } from '../contracts/job-runner.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from '../jobs/behavior-job.decorators.js';
import { WebhookDeliveryService, type WebhookDeliveryResult } from '../webhooks/webhook-delivery.service.js';
import { AnomalyScanService, type AnomalyScanResult } from './anomaly-scan.service.js';

/** The `anomaly-scan` and `webhook-delivery` tasks. */
@BehaviorScheduledTasks()
@Injectable()
export class AnomalyScanJobs implements ScheduledTaskSource {
  constructor(
    private readonly scanner: AnomalyScanService,
    private readonly delivery: WebhookDeliveryService,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  scheduledTasks(): ScheduledTask[] {
    const { anomalies, webhooks } = this.options.settings;
    return [
      {
        id: 'anomaly-scan',
        cron: anomalies.schedule,
        handler: 'anomaly-scan',
        description: `Core anomaly detectors over the last complete ${anomalies.intervalMinutes}-minute interval, then webhook delivery`,
      },
      {
        id: 'webhook-delivery',
        cron: webhooks.schedule,
        handler: 'webhook-delivery',
        description: 'Sends due alert webhooks (retries with backoff)',
      },
    ];
  }

  @BehaviorJobHandler('anomaly-scan')
  async anomalyScan(
    _payload: Record<string, unknown>,
    context: JobContext,
  ): Promise<AnomalyScanResult & { delivery: WebhookDeliveryResult }> {
    const result = await this.scanner.scan({ tenantId: context.tenantId });
    return { ...result, delivery: await this.delivery.deliverDue() };
  }

  // Deliveries are not tenant-scoped work: a tenant admin's run sends whatever is due.
  @BehaviorJobHandler('webhook-delivery')
  webhookDelivery(): Promise<WebhookDeliveryResult> {
    return this.delivery.deliverDue();
  }
}
