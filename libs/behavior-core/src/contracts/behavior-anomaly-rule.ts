/** How urgent an alert is, lowest first. */
export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

/** A parameterised SQL text; placeholders `$1…$n` refer to `values`. */
export interface AnomalyRuleQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Finds incidents in newly committed signals, set-based. Mark the provider with
 * `@RegisterAnomalyRule()`; an add-on enables it by listing its name in `BehaviorAddOn.anomalyRules`.
 *
 * Each rule is a consumer of the signal stream (`anomaly:<name>`, see docs/stream.md): every batch's
 * signals of its `schemaIds` reach it as the relation `anomaly_candidates` (`id, tenant_id, user_id, schema_id, occurred_at, attributes`).
 * `detect()` returns ONE select over it (it may also read `behavior_signals` for context) with one
 * row per incident: `tenant_id text, user_id text (nullable), incident_key text, severity text,
 * evidence jsonb`. The consumer appends its own parameters after the rule's `values`.
 *
 * An alert is written once per `(tenant_id, rule, incident_key)`: the same incident must always get
 * the same key, however the signals were split into batches or runs, so re-seeing it never re-alerts.
 */
export interface BehaviorAnomalyRule {
  /** Stored as `behavior_alerts.rule`; dotted lowercase, e.g. `billing.card_testing`. */
  readonly name: string;
  readonly schemaIds: readonly string[];
  detect(): AnomalyRuleQuery;
}
