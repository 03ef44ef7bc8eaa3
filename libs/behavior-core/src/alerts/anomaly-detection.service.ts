import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_ALERT_SETTINGS } from '../behavior-core.tokens.js';
import type { BehaviorAnomalyRule } from '../contracts/behavior-anomaly-rule.js';
import type pg from 'pg';
import type {
  SignalConsumerBatch,
  TransactionalSignalConsumer,
} from '../contracts/behavior-signal-consumer.js';
import { RegisterSignalConsumer } from '../stream/signal-consumer.decorator.js';
import type { SignalConsumerSource } from '../stream/signal-consumer.registry.js';
import { SignalStreamWorker } from '../stream/signal-stream.worker.js';
import type { ResolvedAlertSettings } from './alert-settings.js';
import { AnomalyRuleRegistry } from './anomaly-rule.registry.js';
import { PostgresAlertRepository } from './postgres-alert.repository.js';
import { PostgresWebhookRepository } from '../webhooks/postgres-webhook.repository.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import { CLOCK } from '../behavior-core.tokens.js';

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

const ANOMALY_PREFIX = 'anomaly:';

/** A rule's name as a consumer of the signal stream. */
export const anomalyConsumer = (rule: string): string => `${ANOMALY_PREFIX}${rule}`;

/**
 * Every enabled anomaly rule is a consumer of the signal stream (`anomaly:<rule>`): each batch's
 * signals of the rule's schemas go through the rule's set-based select, and the alert inserts
 * commit with the checkpoint move, so a crash repeats a batch at most, and repeats write nothing
 * twice. Workers run them continuously; `run` (the anomaly-detection task, "run now") drains them,
 * waiting for batches in flight, so it never returns before the signals committed so far were
 * looked at.
 */
@RegisterSignalConsumer()
@Injectable()
export class AnomalyDetectionService implements SignalConsumerSource {
  private consumers?: Map<string, TransactionalSignalConsumer>;

  constructor(
    @Inject(BEHAVIOR_ALERT_SETTINGS) private readonly settings: ResolvedAlertSettings,
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    private readonly rules: AnomalyRuleRegistry,
    private readonly worker: SignalStreamWorker,
    @Inject(PostgresWebhookRepository) private readonly webhooks: PostgresWebhookRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  signalConsumers(): readonly TransactionalSignalConsumer[] {
    this.consumers ??= new Map(this.rules.active().map((rule) => [rule.name, this.consumerFor(rule)]));
    return [...this.consumers.values()];
  }

  async run(scope: { tenantId?: string } = {}): Promise<AnomalyDetectionResult> {
    const results: AnomalyRuleRunResult[] = [];
    for (const consumer of this.signalConsumers()) {
      let signalsScanned = 0;
      let candidates = 0;
      let alertsCreated = 0;
      for (const outcome of await this.worker.drainWithResults([consumer])) {
        const batch = outcome.result as BatchFindings;
        signalsScanned += outcome.signals;
        candidates += batch.candidates;
        alertsCreated += batch.tenants.filter(
          (t) => scope.tenantId === undefined || t === scope.tenantId,
        ).length;
      }
      results.push({
        rule: consumer.name.slice(ANOMALY_PREFIX.length),
        signalsScanned,
        candidates,
        alertsCreated,
      });
    }
    return { rules: results, alertsCreated: results.reduce((n, r) => n + r.alertsCreated, 0) };
  }

  private consumerFor(rule: BehaviorAnomalyRule): TransactionalSignalConsumer {
    const schemas = new Set(rule.schemaIds);
    return {
      name: anomalyConsumer(rule.name),
      delivery: 'transactional',
      batchSize: this.settings.batchSize,
      handle: async (batch: SignalConsumerBatch, client: pg.PoolClient): Promise<BatchFindings> => {
        const wanted = batch.signals.filter((s) => schemas.has(s.signal.schemaId));
        if (wanted.length === 0) return { candidates: 0, tenants: [] };
        const { tenants, events } = await this.alerts.insertIncidents(client, rule.name, rule.detect(), {
          ids: wanted.map((s) => s.signal.id),
          occurredAt: wanted.map((s) => s.occurredKey),
        });
        // Queued in the batch's transaction: an alert committed is an alert its webhooks hear about.
        await this.webhooks.enqueue(client, events, this.clock.now());
        return { candidates: wanted.length, tenants };
      },
    };
  }
}

interface BatchFindings {
  readonly candidates: number;
  /** The tenant of every alert written. */
  readonly tenants: readonly string[];
}
