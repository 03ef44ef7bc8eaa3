import { Injectable } from '@nestjs/common';
import {
  PERSONALIZATION_SCHEMA_IDS,
  type FieldUsageTally,
  type LayoutUsage,
  type WorkflowStepTally,
} from '@lssm/personalization';
import { DatabasePool } from '@lssm/nest-common';

/** Which stored signals an analysis reads: one tenant, optionally one user and/or role, a window. */
export interface PersonalizationSignalScope {
  readonly tenantId: string;
  readonly userId?: string;
  readonly role?: string;
  /** Both bounds inclusive, like the analyzer's. */
  readonly since: Date;
  readonly until: Date;
}

/** The analyzer's tallies, counted by Postgres. */
export interface PersonalizationAggregates {
  readonly fields: FieldUsageTally[];
  readonly steps: WorkflowStepTally[];
  readonly layouts: LayoutUsage;
}

/*
 * One statement, three result columns of JSON tallies; no signal row leaves the database.
 * - `s` is not materialized, so each branch's schema filter reaches the (tenant_id, schema_id,
 *   occurred_at) index (or (tenant_id, user_id, occurred_at) for one user) and partitions are pruned.
 *   The role travels in the attributes (behavior-signal.mapper.ts), hence `attributes->>'role'`.
 * - Workflow steps are grouped once by (workflow, instance, step): the group with a null instance is
 *   the loose tally of the step; the others are one instance's view of it. "Moved on" (entering
 *   another step of the instance after the first entry of this one) compares the step's first entry
 *   with the latest entry among the instance's *other* steps: the instance's latest entry, or for the
 *   step holding it, the second latest (first_value / nth_value over the instance).
 */
const AGGREGATES_SQL = `
with s as not materialized (
  select schema_id, occurred_at, attributes
    from behavior_signals
   where tenant_id = $1
     and schema_id = any($2::text[])
     and occurred_at >= $3::timestamptz and occurred_at <= $4::timestamptz
     and ($5::text is null or user_id = $5::text)
     and ($6::text is null or attributes->>'role' = $6::text)
),
field_tallies as (
  select attributes->>'operation' as operation, attributes->>'field' as field,
         count(*) as accesses, bool_or(attributes->>'action' = 'edited') as edited
    from s where schema_id = $7
   group by 1, 2
),
layout_tallies as (
  select attributes->>'layout' as layout, count(*) as uses
    from s where schema_id = $8 and attributes->>'layout' in ('table', 'cards', 'list')
   group by 1
),
instance_steps as (
  select attributes->>'workflow' as workflow, attributes->>'instanceId' as instance_id,
         attributes->>'step' as step,
         count(*) filter (where attributes->>'status' = 'entered') as entered,
         count(*) filter (where attributes->>'status' = 'completed') as completed,
         min(occurred_at) filter (where attributes->>'status' = 'entered') as first_entry,
         max(occurred_at) filter (where attributes->>'status' = 'entered') as last_entry
    from s where schema_id = $9
   group by 1, 2, 3
),
ranked as (
  select workflow, step, completed, first_entry,
         row_number() over instance as position,
         first_value(last_entry) over instance as latest,
         nth_value(last_entry, 2) over instance as second_latest
    from instance_steps where instance_id is not null
  window instance as (partition by workflow, instance_id order by last_entry desc nulls last, step
                      rows between unbounded preceding and unbounded following)
),
step_tallies as (
  select workflow, step, entered as entered_events, completed as completed_events,
         0 as entered_instances, 0 as completed_instances
    from instance_steps where instance_id is null
  union all
  select workflow, step, 0, 0, count(*),
         count(*) filter (where completed > 0
           or coalesce(case when position = 1 then second_latest else latest end > first_entry, false))
    from ranked where first_entry is not null
   group by workflow, step
)
select
  (select coalesce(jsonb_agg(jsonb_build_array(operation, field, accesses, edited)), '[]'::jsonb)
     from field_tallies) as fields,
  (select coalesce(jsonb_object_agg(layout, uses), '{}'::jsonb) from layout_tallies) as layouts,
  (select coalesce(jsonb_agg(jsonb_build_array(workflow, step, entered_events, completed_events,
                                               entered_instances, completed_instances)), '[]'::jsonb)
     from step_tallies) as steps`;

type FieldRow = [string, string, number, boolean];
type StepRow = [string, string, number, number, number, number];

/** Set-based reads of the `personalization.*` signals behind GET /api/personalization/insights. */
@Injectable()
export class PersonalizationSignalsRepository {
  constructor(private readonly db: DatabasePool) {}

  async aggregates(scope: PersonalizationSignalScope): Promise<PersonalizationAggregates> {
    const ids = PERSONALIZATION_SCHEMA_IDS;
    const { rows } = await this.db.read.query<{
      fields: FieldRow[];
      layouts: Partial<LayoutUsage>;
      steps: StepRow[];
    }>(AGGREGATES_SQL, [
      scope.tenantId,
      [ids.field_access, ids.feature_usage, ids.workflow_step],
      scope.since,
      scope.until,
      scope.userId ?? null,
      scope.role ?? null,
      ids.field_access,
      ids.feature_usage,
      ids.workflow_step,
    ]);
    const row = rows[0]!;
    return {
      fields: row.fields.map(([operation, field, accesses, edited]) => ({
        operation,
        field,
        accesses,
        edited,
      })),
      steps: row.steps.map(
        ([workflow, step, enteredEvents, completedEvents, enteredInstances, completedInstances]) => ({
          workflow,
          step,
          enteredEvents,
          completedEvents,
          enteredInstances,
          completedInstances,
        }),
      ),
      layouts: {
        table: row.layouts.table ?? 0,
        cards: row.layouts.cards ?? 0,
        list: row.layouts.list ?? 0,
      },
    };
  }
}
