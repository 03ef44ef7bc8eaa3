import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { PostgresAlertRepository } from '../alerts/postgres-alert.repository.js';
import { BEHAVIOR_CORE_OPTIONS, CLOCK, SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { PostgresWebhookRepository } from '../webhooks/postgres-webhook.repository.js';
import type { AnomalyDetector } from './anomaly-detector.js';
import { AnomalyScanRepository } from './anomaly-scan.repository.js';
import { lastCompleteWindow, windowEvidence } from './anomaly-window.js';
import { UserRateDetector } from './user-rate.detector.js';
import { ValidationFailureRateDetector } from './validation-failure-rate.detector.js';
import { VolumeChangeDetector } from './volume-change.detector.js';

export interface AnomalyScanRuleResult {
  readonly rule: string;
  readonly opened: number;
  readonly updated: number;
  readonly resolved: number;
}

export interface AnomalyScanResult {
  readonly window: { start: string; end: string; minutes: number };
  readonly tenants: number;
  readonly rules: readonly AnomalyScanRuleResult[];
  /** Webhook deliveries queued by the alerts opened and resolved. */
  readonly deliveriesQueued: number;
}

/**
 * The `anomaly-scan` task: the core detectors judge the last complete interval for every tenant
 * (or one), a tenant batch per transaction: counts in one statement per detector, findings applied
 * to the alerts, opened and resolved alerts queued for the tenants' webhooks in the same commit.
 * Running it again for the same `now` changes nothing but `updatedAt`.
 */
@Injectable()
export class AnomalyScanService {
  readonly detectors: readonly AnomalyDetector[];

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(SCHEMA_REGISTRY) schemas: SchemaRegistry,
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    @Inject(PostgresWebhookRepository) private readonly webhooks: PostgresWebhookRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const settings = options.settings.anomalies;
    const repository = new AnomalyScanRepository();
    const schemaIds = () => schemas.ids();
    this.detectors = [
      new VolumeChangeDetector(settings.volumeChange, repository, schemaIds),
      new UserRateDetector(settings.userRate, repository, schemaIds),
      new ValidationFailureRateDetector(settings.validationFailureRate, repository),
    ];
  }

  async scan(scope: { now?: Date; tenantId?: string } = {}): Promise<AnomalyScanResult> {
    const now = scope.now ?? this.clock.now();
    const { intervalMinutes, tenantBatchSize } = this.options.settings.anomalies;
    const window = lastCompleteWindow(now, intervalMinutes);
    const enabled = this.detectors.filter((d) => d.enabled);
    const totals = new Map(enabled.map((d) => [d.rule, { opened: 0, updated: 0, resolved: 0 }]));
    const repository = new AnomalyScanRepository();
    let tenants = 0;
    let deliveriesQueued = 0;
    let after: string | null = null;
    for (;;) {
      const batch: string[] = scope.tenantId
        ? after === null
          ? [scope.tenantId]
          : []
        : await repository.tenantPage(this.db.background, after, tenantBatchSize);
      if (batch.length === 0 || enabled.length === 0) break;
      after = batch[batch.length - 1]!;
      tenants += batch.length;
      deliveriesQueued += await transaction(this.db.background, async (client) => {
        let queued = 0;
        for (const detector of enabled) {
          const findings = await detector.detect(client, batch, window);
          const applied = await this.alerts.applyFindings(client, {
            rule: detector.rule,
            tenantIds: batch,
            findings,
            seenAt: window.end,
            clearBefore: new Date(window.end.getTime() - detector.coolDownMinutes * 60_000),
            now,
          });
          const total = totals.get(detector.rule)!;
          total.opened += applied.opened.length;
          total.updated += applied.updated;
          total.resolved += applied.resolved.length;
          queued += await this.webhooks.enqueue(
            client,
            [
              ...applied.opened.map((alertId) => ({ alertId, type: 'alert.opened' as const })),
              ...applied.resolved.map((alertId) => ({ alertId, type: 'alert.resolved' as const })),
            ],
            now,
          );
        }
        return queued;
      });
    }
    return {
      window: windowEvidence(window),
      tenants,
      rules: [...totals].map(([rule, t]) => ({ rule, ...t })),
      deliveriesQueued,
    };
  }
}
