/** Who is acting. Copied onto every event so a store can filter without joins. */
export interface BehaviorContext {
  tenantId: string;
  userId?: string;
  role?: string;
  device?: string;
  sessionId?: string;
}

export const FIELD_ACCESS_ACTIONS = ['viewed', 'edited', 'focused'] as const;
export type FieldAccessAction = (typeof FIELD_ACCESS_ACTIONS)[number];

export const WORKFLOW_STEP_STATUSES = ['entered', 'completed', 'abandoned'] as const;
export type WorkflowStepStatus = (typeof WORKFLOW_STEP_STATUSES)[number];

export const LAYOUTS = ['table', 'cards', 'list'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const BEHAVIOR_EVENT_KINDS = ['field_access', 'feature_usage', 'workflow_step'] as const;
export type BehaviorEventKind = (typeof BEHAVIOR_EVENT_KINDS)[number];

interface BehaviorEventBase extends BehaviorContext {
  /** Random UUID; doubles as the idempotency key (`signalKey`) so a retried batch never duplicates. */
  id: string;
  /** Epoch milliseconds: plain numbers keep events JSON-serializable and cheap to compare. */
  timestamp: number;
}

export interface FieldAccessEvent extends BehaviorEventBase {
  kind: 'field_access';
  operation: string;
  field: string;
  action: FieldAccessAction;
}

export interface FeatureUsageEvent extends BehaviorEventBase {
  kind: 'feature_usage';
  feature: string;
  action: string;
  /**
   * `metadata.layout` (`table` | `cards` | `list`) feeds the layout preference. Over HTTP only
   * `layout`, `value` (strings) and `durationMs` (integer) are sent: the signal schema is closed.
   */
  metadata?: Record<string, unknown>;
}

export interface WorkflowStepEvent extends BehaviorEventBase {
  kind: 'workflow_step';
  workflow: string;
  step: string;
  status: WorkflowStepStatus;
  /** Lets the analyzer treat "entered the next step" as completing the previous one. */
  instanceId?: string;
}

export type BehaviorEvent = FieldAccessEvent | FeatureUsageEvent | WorkflowStepEvent;

export function isLayout(value: unknown): value is Layout {
  return typeof value === 'string' && (LAYOUTS as readonly string[]).includes(value);
}
