import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type {
  BehaviorMetricType,
  MetricAccumulator,
  MetricAttributes,
} from '../contracts/behavior-metric-projector.js';

/**
 * One metric's change within a day, in the stored jsonb shape (behavior_metrics_merge folds it):
 * t type, p projector, a attributes, n observations, v the additive part (s for avg) or the
 * extreme, x non-integer addends that PostgreSQL adds as numeric.
 */
export interface MetricDelta {
  t: BehaviorMetricType;
  p: string;
  a?: MetricAttributes;
  n: number;
  v?: number;
  s?: number;
  x?: string[];
}

/** Everything a batch changes in one user's day. */
export interface DayDeltaRow {
  readonly tenantId: string;
  readonly userId: string;
  readonly metricDate: string;
  readonly metrics: Record<string, MetricDelta>;
}

export interface DistinctMemberRow {
  tenantId: string;
  userId: string;
  metricDate: string;
  metricKey: string;
  value: string;
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
 * Collects what projectors emit for a batch, one entry per (tenant, user, day). Sums of
 * integers are pre-added here (exact below 2^53); any other addend travels as text and
 * PostgreSQL adds it as numeric, so the stored state never depends on how signals were
 * grouped into batches: a crash-and-resume or a replay from scratch gives the same rows.
 */
export class MetricDeltaAccumulator {
  private readonly days = new Map<string, DayDeltaRow>();
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
    return this.days.size === 0;
  }

  dayRows(): DayDeltaRow[] {
    return [...this.days.values()];
  }

  distinctRows(): DistinctMemberRow[] {
    return [...this.members.values()];
  }

  private add(tenantId: string, userId: string, date: string, projector: string, op: Op): void {
    if (op.kind !== 'distinct' && !Number.isFinite(op.value)) return;
    this.types.set(op.key, op.kind);
    const dayId = `${tenantId}\u0000${userId}\u0000${date}`;
    let day = this.days.get(dayId);
    if (!day) {
      day = { tenantId, userId, metricDate: date, metrics: {} };
      this.days.set(dayId, day);
    }
    let delta = day.metrics[op.key];
    if (!delta) {
      delta = { t: op.kind, p: projector, n: 0 };
      if (op.attributes && Object.keys(op.attributes).length > 0) delta.a = op.attributes;
      day.metrics[op.key] = delta;
    }
    if (op.kind === 'distinct') {
      const memberId = `${dayId}\u0000${op.key}\u0000${op.value}`;
      if (!this.members.has(memberId)) {
        this.members.set(memberId, {
          tenantId,
          userId,
          metricDate: date,
          metricKey: op.key,
          value: op.value,
        });
      }
      return;
    }
    const value = op.value;
    delta.n += 1;
    if (op.kind === 'min') {
      delta.v = delta.v === undefined ? value : Math.min(delta.v, value);
      return;
    }
    if (op.kind === 'max') {
      delta.v = delta.v === undefined ? value : Math.max(delta.v, value);
      return;
    }
    const field = op.kind === 'avg' ? 's' : 'v';
    const sum = delta[field] ?? 0;
    if (Number.isInteger(value) && Number.isSafeInteger(sum + value)) delta[field] = sum + value;
    else (delta.x ??= []).push(String(value));
  }
}
