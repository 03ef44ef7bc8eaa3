import type { BehaviorEvent, BehaviorEventKind } from '../events/behavior-event.js';

/** Signal schemas registered by the service (the core's starter set); ids and attribute names are the contract. */
export const PERSONALIZATION_SCHEMA_IDS = {
  field_access: 'personalization.field.access',
  feature_usage: 'personalization.feature.usage',
  workflow_step: 'personalization.workflow.step',
} as const satisfies Record<BehaviorEventKind, string>;

export const TRACKER_SIGNAL_SOURCE = 'tracker';

/** The `device` enum of the personalization schemas. */
export const SIGNAL_DEVICES = ['web', 'ios', 'android', 'tv', 'desktop', 'other'] as const;

/** One item of `POST /api/ai-behavior/signals/batch`. The tenant is not sent: it comes from the API key. */
export interface BehaviorSignalPayload {
  schemaId: string;
  signalKey: string;
  userId?: string;
  sessionId?: string;
  timestamp: string;
  source: typeof TRACKER_SIGNAL_SOURCE;
  attributes: Record<string, SignalAttribute>;
}

export type SignalAttribute = string | number;

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

function attributesOf(event: BehaviorEvent): Record<string, SignalAttribute> {
  const scope = { role: event.role, device: signalDevice(event.device) };
  switch (event.kind) {
    case 'field_access':
      return compact({ operation: event.operation, field: event.field, action: event.action, ...scope });
    case 'feature_usage': {
      // The schema is closed (additionalAttributes: reject), so only the metadata keys it declares travel;
      // the rest stays client-side instead of getting the whole signal rejected.
      const metadata = event.metadata ?? {};
      return compact({
        feature: event.feature,
        action: event.action,
        ...scope,
        layout: typeof metadata.layout === 'string' ? metadata.layout : undefined,
        value: typeof metadata.value === 'string' ? metadata.value : undefined,
        durationMs: isDuration(metadata.durationMs) ? metadata.durationMs : undefined,
      });
    }
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

/**
 * The schemas accept a fixed device list while overlay scopes take any string; an unlisted device is
 * sent as `other` so the signal is still stored rather than rejected for one attribute.
 */
function signalDevice(device: string | undefined): string | undefined {
  if (device === undefined) return undefined;
  return (SIGNAL_DEVICES as readonly string[]).includes(device) ? device : 'other';
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Absent optional attributes are left out rather than sent as null, which strict schemas reject. */
function compact(record: Record<string, SignalAttribute | undefined>): Record<string, SignalAttribute> {
  const out: Record<string, SignalAttribute> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}
