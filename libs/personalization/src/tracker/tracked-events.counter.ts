import { metrics, type Meter } from '@opentelemetry/api';
import type { BehaviorEventKind } from '../events/behavior-event.js';

export const PERSONALIZATION_METER_NAME = '@lssm/personalization';
export const TRACKED_EVENTS_COUNTER_NAME = 'personalization.events.tracked';

export type TrackedEventsCounter = (kind: BehaviorEventKind) => void;

/**
 * Without an SDK registered the global meter is a no-op, so browsers and plain Node apps pay nothing.
 * The instrument is created when the tracker is created, which should be after an SDK's `start()`.
 */
export function createTrackedEventsCounter(meter?: Meter): TrackedEventsCounter {
  const counter = (meter ?? metrics.getMeter(PERSONALIZATION_METER_NAME)).createCounter(
    TRACKED_EVENTS_COUNTER_NAME,
    { description: 'Behavior events tracked by the personalization tracker, by kind.' },
  );
  return (kind) => counter.add(1, { kind });
}
