import type pg from 'pg';
import type { AlertSeverity } from '../contracts/behavior-anomaly-rule.js';
import type { AnomalyWindow } from './anomaly-window.js';

/** A condition seen in the judged window; one open alert per (tenant, rule, subject) carries it. */
export interface AnomalyFinding {
  readonly tenantId: string;
  /** What the alert is about within the rule, e.g. `schema:content.view`, `user:u-1`. */
  readonly subject: string;
  readonly userId: string | null;
  readonly severity: AlertSeverity;
  readonly evidence: Record<string, unknown>;
}

/** A core detector of the anomaly-scan task: set-based counts over one tenant batch, judged in memory. */
export interface AnomalyDetector {
  /** Stored as behavior_alerts.rule. */
  readonly rule: string;
  readonly enabled: boolean;
  readonly coolDownMinutes: number;
  detect(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    window: AnomalyWindow,
  ): Promise<AnomalyFinding[]>;
}
