import type pg from 'pg';
import type { BehaviorSettings } from '../config/behavior-settings.schema.js';
import type { AnomalyDetector, AnomalyFinding } from './anomaly-detector.js';
import type { AnomalyScanRepository } from './anomaly-scan.repository.js';
import { windowEvidence, type AnomalyWindow } from './anomaly-window.js';
import { failureRateChange } from './robust-score.js';

export const VALIDATION_FAILURE_RATE_RULE = 'core.validation_failure_rate';

type Settings = BehaviorSettings['anomalies']['validationFailureRate'];

/** The share of a schema's items refused in the window vs its share over the reference intervals. */
export class ValidationFailureRateDetector implements AnomalyDetector {
  readonly rule = VALIDATION_FAILURE_RATE_RULE;

  constructor(
    private readonly settings: Settings,
    private readonly repository: AnomalyScanRepository,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  get coolDownMinutes(): number {
    return this.settings.coolDownMinutes;
  }

  async detect(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    window: AnomalyWindow,
  ): Promise<AnomalyFinding[]> {
    const referenceStart = new Date(window.start.getTime() - this.settings.history * window.intervalMs);
    const rows = await this.repository.failureCounts(
      client,
      tenantIds,
      referenceStart,
      window.start,
      window.end,
      Math.max(1, this.settings.minVolume),
    );
    const findings: AnomalyFinding[] = [];
    for (const r of rows) {
      const found = failureRateChange(
        r.failed,
        r.accepted,
        { failed: r.failedBefore, accepted: r.acceptedBefore },
        this.settings,
      );
      if (!found) continue;
      findings.push({
        tenantId: r.tenantId,
        subject: `schema:${r.schemaId}`,
        userId: null,
        severity: found.severity,
        evidence: {
          schemaId: r.schemaId,
          window: windowEvidence(window),
          failed: found.failed,
          accepted: found.accepted,
          observed: found.observedRate,
          expected: found.expectedRate,
          z: found.z,
          threshold: found.threshold,
          sensitivity: this.settings.sensitivity,
          method: 'binomial z-score of refusals against the pooled reference rate',
          reference: { intervals: this.settings.history, failed: r.failedBefore, accepted: r.acceptedBefore },
        },
      });
    }
    return findings;
  }
}
