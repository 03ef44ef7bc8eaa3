import type pg from 'pg';
import type { BehaviorSettings } from '../config/behavior-settings.schema.js';
import type { AnomalyDetector, AnomalyFinding } from './anomaly-detector.js';
import type { AnomalyScanRepository } from './anomaly-scan.repository.js';
import { windowEvidence, type AnomalyWindow } from './anomaly-window.js';
import { volumeChange } from './robust-score.js';

export const VOLUME_CHANGE_RULE = 'core.volume_change';

const SEASON_MS = { none: 0, day: 86_400_000, week: 7 * 86_400_000 } as const;

type Settings = BehaviorSettings['anomalies']['volumeChange'];

/** Signals per tenant and schema in the window vs the same series' reference intervals. */
export class VolumeChangeDetector implements AnomalyDetector {
  readonly rule = VOLUME_CHANGE_RULE;

  constructor(
    private readonly settings: Settings,
    private readonly repository: AnomalyScanRepository,
    private readonly schemaIds: () => readonly string[],
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  get coolDownMinutes(): number {
    return this.settings.coolDownMinutes;
  }

  /** The judged window first, then the reference intervals, nearest first. */
  bucketStarts(window: AnomalyWindow): Date[] {
    const step = SEASON_MS[this.settings.seasonality] || window.intervalMs;
    return Array.from(
      { length: this.settings.history + 1 },
      (_, k) => new Date(window.start.getTime() - k * step),
    );
  }

  async detect(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    window: AnomalyWindow,
  ): Promise<AnomalyFinding[]> {
    const series = await this.repository.volumeCounts(
      client,
      tenantIds,
      this.schemaIds(),
      this.bucketStarts(window),
      window.intervalMs,
    );
    const findings: AnomalyFinding[] = [];
    for (const { tenantId, schemaId, counts } of series) {
      // The statement lists the judged interval first, then nearest first; the trend wants oldest first.
      const [observed = 0, ...nearestFirst] = counts;
      const reference = nearestFirst.reverse();
      const found = volumeChange(observed, reference, this.settings);
      if (!found) continue;
      findings.push({
        tenantId,
        subject: `schema:${schemaId}`,
        userId: null,
        severity: found.severity,
        evidence: {
          schemaId,
          window: windowEvidence(window),
          direction: found.direction,
          observed: found.observed,
          expected: found.expected,
          z: found.z,
          threshold: found.threshold,
          sensitivity: this.settings.sensitivity,
          method: 'median/MAD robust z-score',
          reference: { seasonality: this.settings.seasonality, counts: reference },
        },
      });
    }
    return findings;
  }
}
