import type { AlertSeverity } from '../contracts/behavior-anomaly-rule.js';

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['low', 'medium', 'high', 'critical'];
