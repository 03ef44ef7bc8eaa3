import type pg from 'pg';
import type { BehaviorSettings } from '../config/behavior-settings.schema.js';
import type { AnomalyDetector, AnomalyFinding } from './anomaly-detector.js';
import type { AnomalyScanRepository } from './anomaly-scan.repository.js';
import { windowEvidence, type AnomalyWindow } from './anomaly-window.js';
import { userRateOutliers } from './robust-score.js';

export const USER_RATE_RULE = 'core.user_rate';

type Settings = BehaviorSettings['anomalies']['userRate'];

/** One user's signals in the window vs the tenant's other active users in the same window. */
export class UserRateDetector implements AnomalyDetector {
  readonly rule = USER_RATE_RULE;

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

  async detect(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    window: AnomalyWindow,
  ): Promise<AnomalyFinding[]> {
    const rows = await this.repository.userCounts(
      client,
      tenantIds,
      this.schemaIds(),
      window.start,
      window.end,
    );
    const byTenant = new Map<string, Map<string, number>>();
    for (const r of rows) {
      let users = byTenant.get(r.tenantId);
      if (!users) byTenant.set(r.tenantId, (users = new Map()));
      users.set(r.userId, r.count);
    }
    const findings: AnomalyFinding[] = [];
    for (const [tenantId, users] of byTenant) {
      for (const found of userRateOutliers(users, this.settings)) {
        findings.push({
          tenantId,
          subject: `user:${found.userId}`,
          userId: found.userId,
          severity: found.severity,
          evidence: {
            window: windowEvidence(window),
            observed: found.observed,
            expected: found.expected,
            z: found.z,
            threshold: found.threshold,
            sensitivity: this.settings.sensitivity,
            method: "median/MAD robust z-score over the tenant's active users",
            activeUsers: users.size,
          },
        });
      }
    }
    return findings;
  }
}
