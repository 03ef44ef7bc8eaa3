/*
 * Detection quality of the core anomaly detectors on synthetic data with known anomalies: the
 * same pure functions the anomaly-scan task runs (libs/behavior-core/src/anomalies/robust-score.ts).
 *
 * volume change: BENCH_SERIES series (default 30) of 2,000 five-minute intervals per level
 * (20, 50, 200, 1,000 per interval), each with ~40 spikes and drops, one level shift and one
 * day-long drift. Judged like the scan: every interval against the 36 before it. Precision counts
 * every alerting interval (spike/drop/shift intervals are true, normal and drift ones false,
 * intervals right after a level shift are skipped); recall counts events (an event is found when
 * one of its intervals alerts).
 * user rate: BENCH_SERIES tenant intervals of 20–500 active users with log-normal rates and 0–2
 * bots. validation-failure rate: the same count of schema intervals, base refusal share 0.2–3 %,
 * some intervals with a broken release (10–60 %).
 */
import {
  failureRateChange,
  userRateOutliers,
  volumeChange,
  type AnomalySensitivity,
} from '@lssm/behavior-core';
import { generateSeries, generateUsers, poisson, rng } from './anomaly-series.generator.js';

const SERIES = Number(process.env.BENCH_SERIES ?? 30);
const SEED = Number(process.env.BENCH_SEED ?? 17);
const HISTORY = 36;
const LEVELS = [20, 50, 200, 1000];
const SENSITIVITIES: AnomalySensitivity[] = ['low', 'medium', 'high'];
// The defaults of config/default.yaml.
const MIN_VOLUME = { volume: 20, user: 50, failures: 10 };

interface Score {
  tp: number;
  fp: number;
  found: number;
  events: number;
  driftAlerts: number;
  shiftsFound: number;
  shifts: number;
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : (n / d).toFixed(3));

function volumeBench(sensitivity: AnomalySensitivity, level: number): Score {
  const random = rng(SEED * 1000 + level);
  const s: Score = { tp: 0, fp: 0, found: 0, events: 0, driftAlerts: 0, shiftsFound: 0, shifts: 0 };
  for (let i = 0; i < SERIES; i++) {
    const series = generateSeries(random, { length: 2000, level, perDay: 288, settle: HISTORY });
    const alerted = new Set<number>();
    for (let t = HISTORY; t < series.counts.length; t++) {
      const label = series.labels[t]!;
      if (label === 'after-shift') continue;
      const found = volumeChange(series.counts[t]!, series.counts.slice(t - HISTORY, t), {
        sensitivity,
        minVolume: MIN_VOLUME.volume,
      });
      if (!found) continue;
      alerted.add(t);
      if (label === 'normal' || label === 'drift') s.fp++;
      else s.tp++;
      if (label === 'drift') s.driftAlerts++;
    }
    for (const e of series.events) {
      const hit = Array.from({ length: e.length }, (_, k) => e.at + k).some((t) => alerted.has(t));
      if (e.kind === 'shift') {
        s.shifts++;
        if (hit) s.shiftsFound++;
      } else {
        s.events++;
        if (hit) s.found++;
      }
    }
  }
  return s;
}

function userBench(sensitivity: AnomalySensitivity) {
  const random = rng(SEED + 1);
  let tp = 0;
  let fp = 0;
  let bots = 0;
  for (let i = 0; i < SERIES * 5; i++) {
    const tenant = generateUsers(random, 20 + Math.floor(random() * 480), Math.floor(random() * 3));
    bots += tenant.bots.size;
    for (const f of userRateOutliers(tenant.counts, {
      sensitivity,
      minVolume: MIN_VOLUME.user,
      minUsers: 10,
    })) {
      if (tenant.bots.has(f.userId)) tp++;
      else fp++;
    }
  }
  return { tp, fp, bots };
}

function failureBench(sensitivity: AnomalySensitivity) {
  const random = rng(SEED + 2);
  let tp = 0;
  let fp = 0;
  let broken = 0;
  for (let i = 0; i < SERIES * 5; i++) {
    const volume = 50 + Math.floor(random() * 2000);
    const baseRate = 0.002 + random() * 0.028;
    const reference = { failed: poisson(random, volume * 36 * baseRate), accepted: volume * 36 };
    const isBroken = random() < 0.2;
    const rate = isBroken ? 0.1 + random() * 0.5 : baseRate;
    const failed = poisson(random, volume * rate);
    if (isBroken) broken++;
    const f = failureRateChange(failed, volume - Math.min(failed, volume), reference, {
      sensitivity,
      minVolume: MIN_VOLUME.failures,
    });
    if (f && isBroken) tp++;
    else if (f) fp++;
  }
  return { tp, fp, broken };
}

const started = Date.now();
console.log(`bench:anomalies  seed ${SEED}, ${SERIES} series per level, reference ${HISTORY} intervals`);
console.log('\nvolume change (per level; precision over alerting intervals, recall over injected events)');
console.log('sensitivity  level  precision  recall(spikes+drops)  shifts found  drift false alerts  events');
const totals = new Map<AnomalySensitivity, Score>();
for (const sensitivity of SENSITIVITIES) {
  const total: Score = { tp: 0, fp: 0, found: 0, events: 0, driftAlerts: 0, shiftsFound: 0, shifts: 0 };
  for (const level of LEVELS) {
    const s = volumeBench(sensitivity, level);
    for (const k of Object.keys(total) as (keyof Score)[]) total[k] += s[k];
    console.log(
      `${sensitivity.padEnd(11)}  ${String(level).padStart(5)}  ${pct(s.tp, s.tp + s.fp).padStart(9)}  ${pct(s.found, s.events).padStart(20)}  ${pct(s.shiftsFound, s.shifts).padStart(12)}  ${String(s.driftAlerts).padStart(18)}  ${String(s.events).padStart(6)}`,
    );
  }
  totals.set(sensitivity, total);
}
console.log('\ndetector               sensitivity  precision  recall   (injected)');
for (const sensitivity of SENSITIVITIES) {
  const t = totals.get(sensitivity)!;
  console.log(
    `volume change          ${sensitivity.padEnd(11)}  ${pct(t.tp, t.tp + t.fp).padStart(9)}  ${pct(t.found, t.events).padStart(6)}   ${t.events} spikes/drops`,
  );
}
for (const sensitivity of SENSITIVITIES) {
  const u = userBench(sensitivity);
  console.log(
    `user rate              ${sensitivity.padEnd(11)}  ${pct(u.tp, u.tp + u.fp).padStart(9)}  ${pct(u.tp, u.bots).padStart(6)}   ${u.bots} bots`,
  );
}
for (const sensitivity of SENSITIVITIES) {
  const f = failureBench(sensitivity);
  console.log(
    `validation failures    ${sensitivity.padEnd(11)}  ${pct(f.tp, f.tp + f.fp).padStart(9)}  ${pct(f.tp, f.broken).padStart(6)}   ${f.broken} broken intervals`,
  );
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);
