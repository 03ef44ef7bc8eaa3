import type { BehaviorAlertSettings } from '../contracts/behavior-add-on.js';

export const DEFAULT_ALERT_SETTINGS: BehaviorAlertSettings = { schedule: '* * * * *', batchSize: 5000 };

/** The alert settings with the rule names the add-ons enabled. */
export interface ResolvedAlertSettings extends BehaviorAlertSettings {
  readonly rules: readonly string[];
}
