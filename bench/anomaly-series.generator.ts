/*
 * Synthetic count series with known injected anomalies, for bench:anomalies. Seeded, so a run is
 * repeatable: spikes and drops (1–3 intervals), level shifts (the first interval of the new level
 * is the anomaly; the intervals after it, until the reference has absorbed the level, are neither
 * counted for nor against), and a gradual drift that must NOT alert (every alert inside it is a
 * false positive). The base level follows a daily cycle (±30 %) so the reference is never flat.
 */

export type Label = 'normal' | 'spike' | 'drop' | 'shift' | 'after-shift' | 'drift';

export interface InjectedEvent {
  readonly kind: 'spike' | 'drop' | 'shift';
  readonly at: number;
  readonly length: number;
}

export interface LabelledSeries {
  readonly counts: number[];
  readonly labels: Label[];
  readonly events: InjectedEvent[];
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw (Knuth below 30, normal approximation above). */
export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  }
  const u = 1 - random();
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal));
}

export interface SeriesOptions {
  readonly length: number;
  readonly level: number;
  /** Intervals per day (288 for 5-minute intervals). */
  readonly perDay: number;
  /** The reference length of the detector: intervals after a shift not judged. */
  readonly settle: number;
}

export function generateSeries(random: () => number, options: SeriesOptions): LabelledSeries {
  const { length, level, perDay, settle } = options;
  const labels: Label[] = Array.from({ length }, () => 'normal');
  const factor: number[] = Array.from({ length }, () => 1);
  const events: InjectedEvent[] = [];
  const free = (from: number, to: number) =>
    from >= settle && to < length && labels.slice(from - 2, to + 3).every((l) => l === 'normal');

  // One gradual drift: +100 % (or −50 %) over a day, then staying there.
  const driftAt = Math.floor(length * 0.6);
  const driftTo = 1 + (random() < 0.5 ? 1 : -0.5);
  for (let t = driftAt; t < length; t++) {
    const progress = Math.min(1, (t - driftAt) / perDay);
    factor[t] = 1 + (driftTo - 1) * progress;
    if (progress < 1 || t < driftAt + perDay + settle) labels[t] = 'drift';
  }
  // One level shift (×2 or ×0.4) in the first half.
  const shiftAt = Math.floor(length * (0.25 + random() * 0.2));
  const shiftBy = random() < 0.5 ? 2 : 0.4;
  // The new level holds to the end, the drift included: had it snapped back where the drift begins,
  // that unlabelled step (×0.5 or ×2.5 at once) would be a real change counted as a false alert.
  for (let t = shiftAt; t < length; t++) factor[t] = factor[t]! * shiftBy;
  labels[shiftAt] = 'shift';
  for (let t = shiftAt + 1; t < Math.min(driftAt, shiftAt + settle); t++) labels[t] = 'after-shift';
  events.push({ kind: 'shift', at: shiftAt, length: 1 });
  // Spikes and drops wherever the series is otherwise normal.
  for (let i = 0; i < 40; i++) {
    const kind = random() < 0.5 ? 'spike' : 'drop';
    const span = 1 + Math.floor(random() * 3);
    const at = Math.floor(random() * length);
    if (!free(at, at + span - 1)) continue;
    const by = kind === 'spike' ? 2.5 + random() * 1.5 : random() * 0.3;
    for (let t = at; t < at + span; t++) {
      factor[t] = factor[t]! * by;
      labels[t] = kind;
    }
    events.push({ kind, at, length: span });
  }
  const counts = factor.map((f, t) => {
    const daily = 1 + 0.3 * Math.sin((2 * Math.PI * t) / perDay);
    return poisson(random, level * daily * f);
  });
  return { counts, labels, events };
}

/** Per-user counts of one tenant in one interval: log-normal rates (power users), plus bots. */
export function generateUsers(
  random: () => number,
  users: number,
  bots: number,
): { counts: Map<string, number>; bots: Set<string> } {
  const counts = new Map<string, number>();
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (let i = 0; i < users; i++) {
    const rate = Math.exp(Math.log(4) + 0.6 * normal());
    const n = poisson(random, rate);
    if (n > 0) counts.set(`u-${i}`, n);
  }
  const botIds = new Set<string>();
  for (let b = 0; b < bots; b++) {
    const id = `bot-${b}`;
    botIds.add(id);
    counts.set(id, poisson(random, 80 + random() * 400));
  }
  return { counts, bots: botIds };
}
