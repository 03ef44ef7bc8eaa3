import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import { MetricProjectorRegistry } from '../metrics/metric-projector.registry.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { MetricDeltaAccumulator } from './metric-delta.accumulator.js';
import { writeMetricDeltas } from './metric-delta.writer.js';
import { SIGNAL_COLUMNS, toProjectedSignal } from './projected-signal.js';
import { METRICS_CHECKPOINT } from './projection.worker.js';
import { runProjectors } from './signal-projector.runner.js';

export interface MetricReplayRequest {
  readonly tenantId: string;
  /** First UTC day (YYYY-MM-DD) to rebuild; all days when absent. */
  readonly from?: string;
  /** Last UTC day (inclusive). */
  readonly to?: string;
  /** Rebuild only this projector's metrics (backfill after adding one). */
  readonly projector?: string;
}

export interface MetricReplayResult {
  readonly signals: number;
  readonly deletedMetrics: number;
  readonly projectors: readonly string[];
}

const FETCH = 5000;

/**
 * Rebuilds a tenant's metrics from stored signals, exactly as live projection would have:
 * same projectors, same accumulator and writer, and only the signals the live projection
 * already consumed (up to its checkpoint); later ones are left to it. The checkpoint row
 * stays locked for the whole rebuild, so live projection waits instead of interleaving.
 * Everything happens in one transaction: a failed replay leaves the old metrics in place.
 */
@Injectable()
export class MetricReplayService {
  private readonly logger = new Logger('MetricReplayService');

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    private readonly projectors: MetricProjectorRegistry,
  ) {}

  async replay(request: MetricReplayRequest): Promise<MetricReplayResult> {
    const projectors = request.projector
      ? [this.projectors.byName(request.projector)]
      : [...this.projectors.active()];
    return transaction(this.db.background, async (client) => {
      const cp = await client.query<{ last_xid: string; last_seq: string }>(
        `select last_xid::text, last_seq::text from behavior_projection_checkpoints where name = $1 for update`,
        [METRICS_CHECKPOINT],
      );
      const { last_xid, last_seq } = cp.rows[0];
      const range = [request.tenantId, request.from ?? null, request.to ?? null, request.projector ?? null];
      const inRange = `tenant_id = $1 and ($2::date is null or metric_date >= $2::date)
                       and ($3::date is null or metric_date <= $3::date)`;
      await client.query(
        `delete from behavior_signal_metric_values v
          where v.tenant_id = $1 and ($2::date is null or v.metric_date >= $2::date)
            and ($3::date is null or v.metric_date <= $3::date)
            and ($4::text is null or exists (
                  select 1 from behavior_signal_metrics m
                   where m.tenant_id = v.tenant_id and m.user_id = v.user_id and m.metric_date = v.metric_date
                     and m.metric_key = v.metric_key and m.projector = $4))`,
        range,
      );
      const deleted = await client.query(
        `delete from behavior_signal_metrics where ${inRange} and ($4::text is null or projector = $4)`,
        range,
      );
      await client.query(
        `declare replay_signals no scroll cursor for
         select ${SIGNAL_COLUMNS} from behavior_signals
          where tenant_id = $1
            and ($2::date is null or occurred_at >= ($2::date)::timestamp at time zone 'UTC')
            and ($3::date is null or occurred_at < ($3::date + 1)::timestamp at time zone 'UTC')
            and (xid, seq) <= ($4::xid8, $5::bigint)`,
        [request.tenantId, request.from ?? null, request.to ?? null, last_xid, last_seq],
      );
      let signals = 0;
      for (;;) {
        const { rows } = await client.query(`fetch ${FETCH} from replay_signals`);
        if (rows.length === 0) break;
        const acc = new MetricDeltaAccumulator();
        runProjectors(
          acc,
          rows.map((r) => toProjectedSignal(r).signal),
          projectors,
          this.schemas,
          (projector, signal, error) =>
            this.logger.warn(`projector ${projector} failed on signal ${signal.id}: ${String(error)}`),
        );
        await writeMetricDeltas(client, acc);
        signals += rows.length;
      }
      await client.query('close replay_signals');
      return { signals, deletedMetrics: deleted.rowCount ?? 0, projectors: projectors.map((p) => p.name) };
    });
  }
}
