import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_ALERT_SETTINGS } from '../behavior-core.tokens.js';
import type { BehaviorAnomalyRule } from '../contracts/behavior-anomaly-rule.js';
import { keysetTimeSql } from '../queries/keyset-cursor.codec.js';
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

// Same ordering guarantee as the metric projection: only rows whose writing transaction is
// over (xid below the snapshot's xmin), so no row can still appear behind the checkpoint.
const NEXT_BATCH = `
select id, ${keysetTimeSql('occurred_at')} as occurred_key, schema_id = any($4::text[]) as wanted,
       xid::text as position_xid, seq::text as position_seq
  from behavior_signals
 where (xid, seq) > ($1::xid8, $2::bigint)
   and xid < pg_snapshot_xmin(pg_current_snapshot())
 order by xid, seq
 limit $3`;

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
      await client.query(
        'insert into behavior_alert_checkpoints (rule) values ($1) on conflict (rule) do nothing',
        [rule.name],
      );
      const checkpoint = await client.query<{ last_xid: string; last_seq: string }>(
        'select last_xid::text, last_seq::text from behavior_alert_checkpoints where rule = $1 for update',
        [rule.name],
      );
      const { last_xid, last_seq } = checkpoint.rows[0];
      const { rows } = await client.query<{
        id: string;
        occurred_key: string;
        wanted: boolean;
        position_xid: string;
        position_seq: string;
      }>(NEXT_BATCH, [last_xid, last_seq, this.settings.batchSize, rule.schemaIds]);
      if (rows.length === 0) {
        await tx.rollback();
        return { scanned: 0, candidates: 0, tenants: [] };
      }
      const wanted = rows.filter((r) => r.wanted);
      const tenants =
        wanted.length === 0
          ? []
          : await this.alerts.insertIncidents(client, rule.name, rule.detect(), {
              ids: wanted.map((r) => r.id),
              occurredAt: wanted.map((r) => r.occurred_key),
            });
      const last = rows[rows.length - 1];
      await client.query(
        `update behavior_alert_checkpoints
            set last_xid = $2::xid8, last_seq = $3, signals_scanned = signals_scanned + $4, updated_at = now()
          where rule = $1`,
        [rule.name, last.position_xid, last.position_seq, rows.length],
      );
      return { scanned: rows.length, candidates: wanted.length, tenants };
    });
  }
}
