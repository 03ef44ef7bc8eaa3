/** Metric keys the engagement projector writes and the engagement features read. */
export const ENGAGEMENT_KEYS = {
  signals: 'engagement.signals',
  schemas: 'engagement.schemas',
  /** Followed by `:<schemaId>`; attributes `{ schemaId }`. */
  schemaSignalsPrefix: 'engagement.schema_signals:',
  dwellSeconds: 'engagement.dwell_seconds',
  /** Epoch milliseconds of the latest signal of the day (max). */
  lastActivity: 'engagement.last_activity',
} as const;
