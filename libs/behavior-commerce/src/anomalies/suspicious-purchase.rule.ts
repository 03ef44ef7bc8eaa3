import { Inject, Injectable } from '@nestjs/common';
import { RegisterAnomalyRule, type AnomalyRuleQuery, type BehaviorAnomalyRule } from '@lssm/behavior-core';
import { COMMERCE_OPTIONS } from '../behavior-commerce.tokens.js';
import type { CommerceOptions } from '../contracts/commerce-options.js';
import { COMMERCE_SCHEMAS } from '../metrics/commerce-metric-keys.js';

export const SUSPICIOUS_PURCHASE_RULE = 'commerce.suspicious_purchase';

// $1 purchase schema, $2 window (interval), $3 max purchases in the window, $4 default amount
// threshold, $5 thresholds by currency (jsonb), $6 burst severity, $7 large-amount severity.
//
// Bursts. A purchase "qualifies" when more than $3 purchases of the user fall within the $2 before
// it (itself included). An incident is a run of qualifying purchases with no gap over $2; its key
// is the run's first qualifying purchase, so later batches that extend the run find the same key.
// Each candidate user's purchases are read from 3 windows before their earliest new purchase
// (`lo`): counts are exact from lo − 2 windows on, and a run whose start could lie before what
// was read (first qualifying purchase earlier than lo − 1 window) already had its start in an
// earlier batch, which alerted it; such runs are skipped instead of getting a second key.
//
// Large amounts: every new purchase above the threshold of its currency is its own incident.
const SQL = `
with users as (
  select tenant_id, user_id, min(occurred_at) as lo
    from anomaly_candidates
   where schema_id = $1 and user_id is not null
   group by tenant_id, user_id
),
p as (
  select u.tenant_id, u.user_id, u.lo, s.id, s.occurred_at
    from users u
    cross join lateral (
      select b.id, b.occurred_at from behavior_signals b
       where b.tenant_id = u.tenant_id and b.user_id = u.user_id and b.schema_id = $1
         and b.occurred_at >= u.lo - 3 * $2::interval
    ) s
),
counted as (
  select p.*, count(*) over (partition by tenant_id, user_id order by occurred_at
                             range between $2::interval preceding and current row) as in_window
    from p
),
qualifying as (
  select c.*, lag(occurred_at) over (partition by tenant_id, user_id order by occurred_at, id) as previous_at
    from counted c
   where in_window > $3::int and occurred_at >= lo - 2 * $2::interval
),
runs as (
  select q.*, sum(case when previous_at is null or occurred_at - previous_at > $2::interval then 1 else 0 end)
                over (partition by tenant_id, user_id order by occurred_at, id) as run
    from qualifying q
),
bursts as (
  select tenant_id, user_id, min(lo) as lo, (array_agg(id order by occurred_at, id))[1] as first_id,
         min(occurred_at) as first_at, max(occurred_at) as last_at, max(in_window) as peak
    from runs group by tenant_id, user_id, run
)
select tenant_id, user_id, 'burst:' || first_id as incident_key, $6::text as severity,
       jsonb_build_object('reason', 'burst', 'purchases_in_window', peak, 'max_purchases', $3::int,
                          'window', $2::interval::text, 'first_at', first_at, 'last_at', last_at,
                          'first_signal_id', first_id) as evidence
  from bursts
 where first_at >= lo - $2::interval
union all
select tenant_id, user_id, 'amount:' || id, $7::text,
       jsonb_build_object('reason', 'large_amount', 'amount', amount, 'currency', currency,
                          'threshold', threshold, 'signal_id', id, 'occurred_at', occurred_at)
  from (
    select c.tenant_id, c.user_id, c.id, c.occurred_at, (c.attributes->>'amount')::numeric as amount,
           c.attributes->>'currency' as currency,
           coalesce(($5::jsonb ->> (c.attributes->>'currency'))::numeric, $4::numeric) as threshold
      from anomaly_candidates c
     where c.schema_id = $1 and c.user_id is not null and jsonb_typeof(c.attributes->'amount') = 'number'
  ) a
 where amount > threshold`;

/** More than N orders within M minutes, or one order above an amount (docs/add-ons.md). */
@RegisterAnomalyRule()
@Injectable()
export class SuspiciousPurchaseRule implements BehaviorAnomalyRule {
  readonly name = SUSPICIOUS_PURCHASE_RULE;
  readonly schemaIds = [COMMERCE_SCHEMAS.purchase];

  constructor(@Inject(COMMERCE_OPTIONS) private readonly options: CommerceOptions) {}

  detect(): AnomalyRuleQuery {
    const { burst, largeAmount } = this.options.anomaly;
    return {
      text: SQL,
      values: [
        COMMERCE_SCHEMAS.purchase,
        `${burst.windowMinutes} minutes`,
        burst.maxPurchases,
        largeAmount.threshold,
        JSON.stringify(largeAmount.byCurrency),
        burst.severity,
        largeAmount.severity,
      ],
    };
  }
}
