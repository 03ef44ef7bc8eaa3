// The detection math, free of SQL and Nest: the scheduled scan and `npm run bench:anomalies` call
// the same functions, so the benchmark measures what production runs.

export type AnomalySensitivity = 'low' | 'medium' | 'high';

/** The |z| an observation must reach, per sensitivity (higher sensitivity, lower bar). */
export const Z_THRESHOLDS: Readonly<Record<AnomalySensitivity, number>> = { low: 6, medium: 4, high: 3 };

/** Scales a median absolute deviation to a standard deviation under normal noise. */
const MAD_TO_SD = 1.4826;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface RobustScore {
  /** The median of the reference values. */
  readonly expected: number;
  /** The noise scale the deviation is divided by. */
  readonly scale: number;
  /** (observed − expected) / scale. */
  readonly z: number;
}

/**
 * Robust z-score of a count against reference counts: median and MAD, so one earlier spike in the
 * reference does not hide the next one. Counts are at least Poisson-noisy, so the scale never goes
 * below √expected (nor below 1): a perfectly flat history would otherwise call ±1 an anomaly.
 */
export function robustScore(observed: number, reference: readonly number[]): RobustScore {
  const expected = median(reference);
  const mad = median(reference.map((v) => Math.abs(v - expected)));
  const scale = Math.max(MAD_TO_SD * mad, Math.sqrt(expected), 1);
  return { expected, scale, z: (observed - expected) / scale };
}

/** Below this share of the expected count, deviations are noise whatever the history says. */
const RELATIVE_NOISE_FLOOR = 0.05;

/**
 * Robust z-score of the next count of a series (reference oldest first) against the series' own
 * local trend: a Theil–Sen line (median of pairwise slopes, median intercept) through the
 * reference, extrapolated one interval, with the MAD of the residuals as the noise. A plain median
 * lags a series that rises or falls (a daily cycle, a slow drift) and would call the lag an
 * anomaly; the line follows it, and a spike or two inside the reference do not bend it. The scale
 * never goes below Poisson noise (√expected) nor below 5 % of the expected count (real traffic is
 * burstier than Poisson).
 */
export function trendScore(observed: number, reference: readonly number[]): RobustScore {
  const n = reference.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) slopes.push((reference[j]! - reference[i]!) / (j - i));
  const slope = median(slopes);
  const intercept = median(reference.map((y, x) => y - slope * x));
  const residuals = reference.map((y, x) => y - (intercept + slope * x));
  const mad = median(residuals.map((r) => Math.abs(r - median(residuals))));
  const expected = Math.max(0, intercept + slope * n);
  const scale = Math.max(MAD_TO_SD * mad, Math.sqrt(expected), RELATIVE_NOISE_FLOOR * expected, 1);
  return { expected: round(expected), scale, z: (observed - expected) / scale };
}

export interface VolumeRuleSettings {
  readonly sensitivity: AnomalySensitivity;
  /** The larger of observed and expected must reach it (counts per interval). */
  readonly minVolume: number;
}

export interface VolumeFinding {
  readonly direction: 'spike' | 'drop';
  readonly expected: number;
  readonly observed: number;
  readonly z: number;
  readonly threshold: number;
  readonly severity: 'medium' | 'high';
}

/**
 * One interval's count against the same series' reference intervals (oldest first, see
 * `trendScore`). A series is judged only once
 * it is established (at least half of the reference intervals saw something): a schema new to a
 * tenant is not a spike, and one never used does not "stop".
 */
export function volumeChange(
  observed: number,
  reference: readonly number[],
  settings: VolumeRuleSettings,
): VolumeFinding | null {
  if (reference.length === 0) return null;
  if (reference.filter((v) => v > 0).length * 2 < reference.length) return null;
  const score = trendScore(observed, reference);
  if (Math.max(observed, score.expected) < settings.minVolume) return null;
  const threshold = Z_THRESHOLDS[settings.sensitivity];
  if (Math.abs(score.z) < threshold) return null;
  const direction = score.z > 0 ? 'spike' : 'drop';
  const severity = observed === 0 || Math.abs(score.z) >= 2 * threshold ? 'high' : 'medium';
  return { direction, expected: score.expected, observed, z: round(score.z), threshold, severity };
}

export interface UserRateSettings extends VolumeRuleSettings {
  /** Fewer active users than this in the interval: no distribution to compare with. */
  readonly minUsers: number;
}

export interface UserRateFinding {
  readonly userId: string;
  readonly observed: number;
  readonly expected: number;
  readonly z: number;
  readonly threshold: number;
  readonly severity: 'medium' | 'high';
}

/**
 * Users whose count in one interval is far above the tenant's other active users in that interval
 * (median/MAD over users, Poisson floor as in `robustScore`).
 */
export function userRateOutliers(
  counts: ReadonlyMap<string, number>,
  settings: UserRateSettings,
): UserRateFinding[] {
  if (counts.size < settings.minUsers) return [];
  const reference = [...counts.values()];
  const threshold = Z_THRESHOLDS[settings.sensitivity];
  const findings: UserRateFinding[] = [];
  for (const [userId, observed] of counts) {
    if (observed < settings.minVolume) continue;
    const score = robustScore(observed, reference);
    if (score.z < threshold) continue;
    const severity = score.z >= 2 * threshold ? 'high' : 'medium';
    findings.push({ userId, observed, expected: score.expected, z: round(score.z), threshold, severity });
  }
  return findings;
}

export type FailureRateSettings = VolumeRuleSettings;

export interface FailureRateFinding {
  readonly failed: number;
  readonly accepted: number;
  readonly observedRate: number;
  readonly expectedRate: number;
  readonly z: number;
  readonly threshold: number;
  readonly severity: 'medium' | 'high';
}

/** Below this the expected failure rate is taken as this (a clean history is not a zero-noise one). */
const RATE_FLOOR = 0.01;

/**
 * The share of a schema's items refused in one interval against its share over the reference
 * intervals: a binomial z-score of the failures, given the interval's items and the pooled
 * reference rate (floored at 1 %). minVolume counts the failures.
 */
export function failureRateChange(
  failed: number,
  accepted: number,
  reference: { readonly failed: number; readonly accepted: number },
  settings: FailureRateSettings,
): FailureRateFinding | null {
  const total = failed + accepted;
  if (failed < settings.minVolume || total === 0) return null;
  const referenceTotal = reference.failed + reference.accepted;
  const expectedRate = Math.max(referenceTotal === 0 ? 0 : reference.failed / referenceTotal, RATE_FLOOR);
  const z = (failed - total * expectedRate) / Math.sqrt(total * expectedRate * (1 - expectedRate));
  const threshold = Z_THRESHOLDS[settings.sensitivity];
  if (z < threshold) return null;
  return {
    failed,
    accepted,
    observedRate: round(failed / total),
    expectedRate: round(expectedRate),
    z: round(z),
    threshold,
    severity: z >= 2 * threshold || failed / total >= 0.5 ? 'high' : 'medium',
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
