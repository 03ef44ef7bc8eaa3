import Big from 'big.js';
import type { BehaviorMetricType, MetricAttributes } from '../contracts/behavior-metric-projector.js';
import type { MetricDelta } from './metric-delta.accumulator.js';

/**
 * One metric of a day as stored in behavior_metric_days.metrics. Numbers are decimal text so
 * they survive JSON exactly: n observations (for distinct, members), v the value, s the exact
 * sum behind avg.
 */
export interface StoredMetric {
  t: BehaviorMetricType;
  p: string;
  n: string;
  v: string;
  s?: string;
  a?: MetricAttributes;
}

export type StoredDay = Record<string, StoredMetric>;

// Its own constructor, so the quotient precision does not change big.js for anyone else:
// quotients of avg carry 20 decimal places; sums are exact at any size.
const Decimal = Big();
Decimal.DP = 20;

const SAFE_INT = /^-?\d{1,15}$/;

function add(a: string, b: string): string {
  if (SAFE_INT.test(a) && SAFE_INT.test(b)) return String(Number(a) + Number(b));
  return new Decimal(a).plus(b).toFixed();
}

function sumOf(delta: MetricDelta): string {
  let sum = String((delta.t === 'avg' ? delta.s : delta.v) ?? 0);
  for (const extra of delta.x ?? []) sum = add(sum, extra);
  return sum;
}

/**
 * Folds a batch's deltas into a stored day (a new object; `stored` is left as it was). The
 * result depends only on the signals, never on how they were batched: sums are exact, avg is
 * recomputed from its exact sum and count, a distinct metric counts the members `added` says
 * were new. A metric keeps the type, projector and attributes it was first stored with.
 */
export function mergeMetricDay(
  stored: StoredDay | undefined,
  deltas: Readonly<Record<string, MetricDelta>>,
  added: (metricKey: string) => number,
): StoredDay {
  const out: StoredDay = { ...stored };
  for (const [key, delta] of Object.entries(deltas)) {
    const old = stored?.[key];
    const t = old?.t ?? delta.t;
    const next: StoredMetric = { t, p: old?.p ?? delta.p, n: '0', v: '0' };
    const attributes = old ? old.a : delta.a;
    if (attributes) next.a = attributes;
    if (t === 'distinct') {
      next.n = next.v = add(old?.v ?? '0', String(added(key)));
    } else {
      next.n = add(old?.n ?? '0', String(delta.n));
      if (t === 'min' || t === 'max') {
        const value = String(delta.v);
        const order = old === undefined ? 0 : new Decimal(value).cmp(old.v);
        const pick = old === undefined || (t === 'min' ? order < 0 : order > 0);
        next.v = pick ? value : old.v;
      } else if (t === 'avg') {
        next.s = add(old?.s ?? '0', sumOf(delta));
        next.v = new Decimal(next.s).div(next.n).toFixed();
      } else {
        next.v = add(old?.v ?? '0', sumOf(delta));
      }
    }
    out[key] = next;
  }
  return out;
}
