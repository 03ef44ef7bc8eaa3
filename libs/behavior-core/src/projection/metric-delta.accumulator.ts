import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type {
  BehaviorMetricType,
  MetricAccumulator,
  MetricAttributes,
} from '../contracts/behavior-metric-projector.js';

/** One row of aggregated change to a metric (numbers as text so Postgres sums them as numeric). */
export interface MetricDeltaRow {
  tenantId: string;
  userId: string;
  metricDate: string;
  metricKey: string;
  metricType: Exclude<BehaviorMetricType, 'distinct'>;
  projector: string;
  attributes: MetricAttributes;
  /** Observations (for count: increments); the avg denominator. */
  count: number;
  sum: string;
  min: string | null;
  max: string | null;
}

export interface DistinctMemberRow {
  tenantId: string;
  userId: string;
  metricDate: string;
  metricKey: string;
  projector: string;
  attributes: MetricAttributes;
  value: string;
}

interface MainDelta {
  row: MetricDeltaRow;
  intSum: number;
}

type Op =
  | {
      kind: Exclude<BehaviorMetricType, 'distinct'>;
      key: string;
      value: number;
      attributes?: MetricAttributes;
    }
  | { kind: 'distinct'; key: string; value: string; attributes?: MetricAttributes };

/**
 * Collects what projectors emit for a batch, keyed by (tenant, user, day, metric). Sums of
 * integers are pre-added here (exact below 2^53); any other value travels as its own row
 * and Postgres adds it as numeric, so the stored state never depends on how signals were
 * grouped into batches: a crash-and-resume or a replay from scratch gives the same rows.
 */
export class MetricDeltaAccumulator {
  private readonly main = new Map<string, MainDelta>();
  private readonly extra: MetricDeltaRow[] = [];
  private readonly members = new Map<string, DistinctMemberRow>();
  private readonly types = new Map<string, BehaviorMetricType>();
  signalsProjected = 0;

  /** Runs `project` with an accumulator bound to the signal; its output counts only if it returns. */
  apply(
    signal: BehaviorSignal & { userId: string },
    projector: string,
    project: (acc: MetricAccumulator) => void,
  ): void {
    const ops: Op[] = [];
    const push = (op: Op) => ops.push(op);
    project({
      count: (key, by = 1, attributes) => push({ kind: 'count', key, value: by, attributes }),
      sum: (key, value, attributes) => push({ kind: 'sum', key, value, attributes }),
      avg: (key, value, attributes) => push({ kind: 'avg', key, value, attributes }),
      min: (key, value, attributes) => push({ kind: 'min', key, value, attributes }),
      max: (key, value, attributes) => push({ kind: 'max', key, value, attributes }),
      distinct: (key, value, attributes) => push({ kind: 'distinct', key, value: String(value), attributes }),
    });
    // Check every type first, so a rejected signal leaves nothing half-added.
    for (const op of ops) {
      const known = this.types.get(op.key);
      if (known && known !== op.kind) {
        throw new Error(`metric "${op.key}" is projected both as ${known} and as ${op.kind}`);
      }
    }
    const date = signal.timestamp.slice(0, 10);
    for (const op of ops) this.add(signal.tenantId, signal.userId, date, projector, op);
  }

  isEmpty(): boolean {
    return this.main.size === 0 && this.extra.length === 0 && this.members.size === 0;
  }

  deltaRows(): MetricDeltaRow[] {
    return [
      ...[...this.main.values()].map(({ row, intSum }) => ({ ...row, sum: String(intSum) })),
      ...this.extra,
    ];
  }

  distinctRows(): DistinctMemberRow[] {
    return [...this.members.values()];
  }

  private add(tenantId: string, userId: string, date: string, projector: string, op: Op): void {
    if (op.kind !== 'distinct' && !Number.isFinite(op.value)) return;
    const id = `${tenantId}\u0000${userId}\u0000${date}\u0000${op.key}`;
    this.types.set(op.key, op.kind);
    const attributes = op.attributes ?? {};
    if (op.kind === 'distinct') {
      const memberId = `${id}\u0000${op.value}`;
      if (!this.members.has(memberId)) {
        this.members.set(memberId, {
          tenantId,
          userId,
          metricDate: date,
          metricKey: op.key,
          projector,
          attributes,
          value: op.value,
        });
      }
      return;
    }
    let delta = this.main.get(id);
    if (!delta) {
      delta = {
        row: {
          tenantId,
          userId,
          metricDate: date,
          metricKey: op.key,
          metricType: op.kind,
          projector,
          attributes,
          count: 0,
          sum: '0',
          min: null,
          max: null,
        },
        intSum: 0,
      };
      this.main.set(id, delta);
    }
    const { row } = delta;
    const value = op.value;
    // Observations: the avg denominator (for count, the number of increments; the value is their sum).
    row.count += 1;
    if (op.kind === 'min' || op.kind === 'max') {
      if (row.min === null || value < Number(row.min)) row.min = String(value);
      if (row.max === null || value > Number(row.max)) row.max = String(value);
    }
    if (Number.isInteger(value) && Number.isSafeInteger(delta.intSum + value)) {
      delta.intSum += value;
    } else {
      this.extra.push({ ...row, count: 0, sum: String(value), min: null, max: null });
    }
  }
}
