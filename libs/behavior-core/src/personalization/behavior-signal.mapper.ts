import type { BehaviorEvent, BehaviorEventKind } from './behavior-event.js';

/** Signal schemas registered by the service (config/schemas); ids and attribute names are the contract. */
export const PERSONALIZATION_SCHEMA_IDS = {
  field_access: 'personalization.field.access',
  feature_usage: 'personalization.feature.usage',
  workflow_step: 'personalization.workflow.step',
} as const satisfies Record<BehaviorEventKind, string>;

export const TRACKER_SIGNAL_SOURCE = 'tracker';

/** One item of `POST /api/ai-behavior/signals/batch`. The tenant is not sent: it comes from the API key. */
export interface BehaviorSignalPayload {
  schemaId: string;
  signalKey: string;
  userId?: string;
  sessionId?: string;
  timestamp: string;
  source: typeof TRACKER_SIGNAL_SOURCE;
  attributes: Record<string, string>;
}

export function toSignalPayload(event: BehaviorEvent): BehaviorSignalPayload {
  const signal: BehaviorSignalPayload = {
    schemaId: PERSONALIZATION_SCHEMA_IDS[event.kind],
    signalKey: event.id,
    timestamp: new Date(event.timestamp).toISOString(),
    source: TRACKER_SIGNAL_SOURCE,
    attributes: attributesOf(event),
  };
  if (event.userId !== undefined) signal.userId = event.userId;
  if (event.sessionId !== undefined) signal.sessionId = event.sessionId;
  return signal;
}

function attributesOf(event: BehaviorEvent): Record<string, string> {
  const scope = { role: event.role, device: event.device };
  switch (event.kind) {
    case 'field_access':
      return compact({ operation: event.operation, field: event.field, action: event.action, ...scope });
    case 'feature_usage':
      // The schema has one free `value` slot and no open metadata, so only the layout (else a string
      // `metadata.value`) survives the trip; other metadata stays client-side.
      return compact({
        feature: event.feature,
        action: event.action,
        ...scope,
        value: featureValue(event.metadata),
      });
    case 'workflow_step':
      return compact({
        workflow: event.workflow,
        step: event.step,
        status: event.status,
        instanceId: event.instanceId,
        ...scope,
      });
  }
}

function featureValue(metadata: Record<string, unknown> | undefined): string | undefined {
  if (!metadata) return undefined;
  if (typeof metadata.layout === 'string') return metadata.layout;
  return typeof metadata.value === 'string' ? metadata.value : undefined;
}

/** Absent optional attributes are left out rather than sent as null, which strict schemas reject. */
function compact(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}
