import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { OverlayAuditRepository } from '@lssm/overlay/nest';
import { BEHAVIOR_CORE_OPTIONS, CLOCK, SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type { ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { JobContext, ScheduledTask } from '../contracts/job-runner.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from '../jobs/behavior-job.decorators.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { retentionCutoffs } from './retention-cutoffs.js';
import { S3_SINK } from '../sinks/s3/s3-sink.settings.js';
import { RetentionRepository, type RetentionDeleted } from './retention.repository.js';

export interface RetentionRunResult extends RetentionDeleted {
  tenantId: string | null;
  signalsBefore: string;
  metricsBefore: string;
  insightsBefore: string;
  alertsResolvedBefore: string;
  overlayAuditBefore: string;
  erasureAuditsBefore: string;
  /** Null when the host runs without the overlay module (nothing to age). */
  overlayAudit: number | null;
}

/**
 * Enforces `ai.behavior.retention` and each schema's `retentionDays` on a schedule:
 * old signals, their idempotency keys, failed signals, daily metrics, insights, resolved alerts
 * and overlay audit rows.
 * A tenant admin's run deletes only that tenant's rows.
 */
@BehaviorScheduledTasks()
@Injectable()
export class RetentionJob implements ScheduledTaskSource {
  private readonly repository: RetentionRepository;

  private readonly cold?: { consumer: string; hotDays: number };

  constructor(
    @Inject(DatabasePool) db: DatabasePool,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    // The overlay lib owns overlay_audit and its SQL; a host without overlays has no such rows.
    @Optional() @Inject(OverlayAuditRepository) private readonly overlayAudit?: OverlayAuditRepository,
  ) {
    this.repository = new RetentionRepository(db.background);
    // Each entry's own settings were checked against its type's schema (s3: hotDays an integer).
    const cold = options.settings.sinks.filter(
      (s): s is typeof s & { hotDays: number } =>
        s.type === S3_SINK && (s as { hotDays?: unknown }).hotDays !== undefined,
    );
    if (cold.length > 1) {
      throw new Error(
        `ai.behavior.sinks: hotDays is set on ${cold.map((s) => `"${s.name}"`).join(' and ')}; one s3 sink at most holds the cold copy`,
      );
    }
    if (cold[0]) this.cold = { consumer: `sink:${cold[0].name}`, hotDays: cold[0].hotDays };
  }

  scheduledTasks(): ScheduledTask[] {
    return [
      {
        id: 'retention',
        cron: this.options.settings.retention.schedule,
        handler: 'retention',
        description:
          'Deletes signals, metrics, insights, resolved alerts, overlay audit rows and completed erasure audits older than their retention',
      },
    ];
  }

  @BehaviorJobHandler('retention')
  async run(_payload: Record<string, unknown>, context: JobContext): Promise<RetentionRunResult> {
    const cutoffs = retentionCutoffs(this.options.settings.retention, this.schemas.list(), this.clock.now());
    const tenantId = context.tenantId ?? null;
    const now = this.clock.now();
    const deleted = await this.repository.apply(
      cutoffs,
      tenantId,
      this.cold && {
        consumer: this.cold.consumer,
        partitions: this.options.settings.stream.partitions,
        hotBefore: new Date(now.getTime() - this.cold.hotDays * 86_400_000),
      },
    );
    const overlayAudit = this.overlayAudit
      ? await this.overlayAudit.deleteAppliedBefore(cutoffs.overlayAuditBefore, tenantId)
      : null;
    return {
      tenantId,
      signalsBefore: cutoffs.signalsBefore.toISOString(),
      metricsBefore: cutoffs.metricsBefore,
      insightsBefore: cutoffs.insightsBefore.toISOString(),
      alertsResolvedBefore: cutoffs.alertsResolvedBefore.toISOString(),
      overlayAuditBefore: cutoffs.overlayAuditBefore.toISOString(),
      erasureAuditsBefore: cutoffs.erasureAuditsBefore.toISOString(),
      ...deleted,
      overlayAudit,
    };
  }
}
