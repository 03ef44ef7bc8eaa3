import { Injectable } from '@nestjs/common';
import {
  RegisterErasureHook,
  type BehaviorErasureHook,
  type ErasureQueryable,
  type TenantErasureRequest,
  type UserErasureRequest,
} from '@lssm/behavior-core';
import { SUSPICIOUS_PURCHASE_RULE } from '../anomalies/suspicious-purchase.rule.js';

/** The insight type the commerce strategy writes (CommerceInsightStrategy). */
const COMMERCE_INSIGHT = 'commerce';

/**
 * The commerce add-on keeps no table of its own; what it derives per user lives in core's tables:
 * its `commerce` insight and its suspicious-purchase alerts (about the user, or naming them in
 * their evidence). This hook removes those, so an erasure's counts show what commerce held
 * (`hook:commerce`); core's own steps then remove the user's remaining rows.
 */
@RegisterErasureHook()
@Injectable()
export class CommerceErasureHook implements BehaviorErasureHook {
  readonly name = 'commerce';

  async eraseUser({ tenantId, userId }: UserErasureRequest, db: ErasureQueryable): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `with i as (delete from behavior_insights
                   where tenant_id = $1 and user_id = $2 and insight_type = $3 returning 1),
            a as (delete from behavior_alerts
                   where tenant_id = $1 and rule = $4 and (user_id = $2 or strpos(evidence::text, $5) > 0)
                  returning 1)
       select ((select count(*) from i) + (select count(*) from a))::int as n`,
      [tenantId, userId, COMMERCE_INSIGHT, SUSPICIOUS_PURCHASE_RULE, JSON.stringify(userId)],
    );
    return rows[0].n;
  }

  async eraseTenant({ tenantId }: TenantErasureRequest, db: ErasureQueryable): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `with i as (delete from behavior_insights where tenant_id = $1 and insight_type = $2 returning 1),
            a as (delete from behavior_alerts where tenant_id = $1 and rule = $3 returning 1)
       select ((select count(*) from i) + (select count(*) from a))::int as n`,
      [tenantId, COMMERCE_INSIGHT, SUSPICIOUS_PURCHASE_RULE],
    );
    return rows[0].n;
  }
}
