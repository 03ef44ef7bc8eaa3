import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_ALERT_SETTINGS } from '../behavior-core.tokens.js';
import type { BehaviorAnomalyRule } from '../contracts/behavior-anomaly-rule.js';
import { SignalStreamRepository } from '../stream/signal-stream.repository.js';
import type { ResolvedAlertSettings } from './alert-settings.js';
import { AnomalyRuleRegistry } from './anomaly-rule.registry.js';
import { PostgresAlertRepository } from './postgres-alert.repository.js';

export interface AnomalyRuleRunResult {
  readonly rule: string;
  /** Committed signals the run moved past (all schemas). */
  readonly signalsScanned: number;
  /** Of those, the signals of the rule's schemas. */
  readonly candidates: number;
  /** New alerts (for a tenant-scoped run: of that tenant only). */
  readonly alertsCreated: number;
}

export interface AnomalyDetectionResult {
  readonly rules: readonly AnomalyRuleRunResult[];
  readonly alertsCreated: number;
}

/** A rule's name as a consumer of the signal stream. */
export const anomalyConsumer = (rule: string): string => `anomaly:${rule}`;

/**
 * Runs every enabled anomaly rule over the signals committed since that rule's checkpoint. Each
 * batch is one transaction: the rule's set-based select, the alert inserts and the checkpoint
 * move commit together, so a crash repeats a batch at most, and repeats write nothing twice.
 * The checkpoint row is locked while a batch runs: concurrent runs queue rather than skip, so
 * "run now" never returns before the signals committed so far were looked at.
 */
@Injectable()
export class AnomalyDetectionService {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(BEHAVIOR_ALERT_SETTINGS) private readonly settings: ResolvedAlertSettings,
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    private readonly rules: AnomalyRuleRegistry,
    private readonly stream: SignalStreamRepository,
  ) {}

  async run(scope: { tenantId?: string } = {}): Promise<AnomalyDetectionResult> {
    const results: AnomalyRuleRunResult[] = [];
    for (const rule of this.rules.active()) results.push(await this.runRule(rule, scope.tenantId));
    return { rules: results, alertsCreated: results.reduce((n, r) => n + r.alertsCreated, 0) };
  }

  private async runRule(
    rule: BehaviorAnomalyRule,
    tenantId: string | undefined,
  ): Promise<AnomalyRuleRunResult> {
    let signalsScanned = 0;
    let candidates = 0;
    let alertsCreated = 0;
    for (;;) {
      const batch = await this.runBatch(rule);
      signalsScanned += batch.scanned;
      candidates += batch.candidates;
      alertsCreated += batch.tenants.filter((t) => tenantId === undefined || t === tenantId).length;
      if (batch.scanned < this.settings.batchSize) break;
    }
    return { rule: rule.name, signalsScanned, candidates, alertsCreated };
  }

  private async runBatch(
    rule: BehaviorAnomalyRule,
  ): Promise<{ scanned: number; candidates: number; tenants: string[] }> {
    return transaction(this.db.background, async (client, tx) => {
      const consumer = anomalyConsumer(rule.name);
      const checkpoint = await this.stream.lockCheckpoint(client, consumer);
      const rows = await this.stream.nextRefs(client, checkpoint, this.settings.batchSize);
      const schemas = new Set(rule.schemaIds);
      if (rows.length === 0) {
        await tx.rollback();
        return { scanned: 0, candidates: 0, tenants: [] };
      }
      const wanted = rows.filter((r) => schemas.has(r.schemaId));
      const tenants =
        wanted.length === 0
          ? []
          : await this.alerts.insertIncidents(client, rule.name, rule.detect(), {
              ids: wanted.map((r) => r.id),
              occurredAt: wanted.map((r) => r.occurredKey),
            });
      await this.stream.advanceCheckpoint(client, consumer, rows[rows.length - 1], rows.length);
      return { scanned: rows.length, candidates: wanted.length, tenants };
    });
  }
}
