import type { Tracker } from '@lssm/tracker';
import type { BehaviorStore } from '../contracts/behavior-store.js';
import { TrackerBehaviorStore } from '../stores/tracker-behavior.store.js';
import { createBehaviorTracker } from './behavior-tracker.js';
import type { BehaviorTracker, BehaviorTrackerOptions } from './behavior-tracker.types.js';

/**
 * `trackFieldAccess` / `trackFeatureUsage` / `trackWorkflowStep` delivered by a `@lssm/tracker`
 * Tracker. Each event is passed on at once (batch size 1): the Tracker's queue is the one that
 * persists across reloads and restarts, so nothing should wait in front of it.
 */
export function createPersonalizationTracker(
  tracker: Pick<Tracker, 'track'>,
  options: Omit<BehaviorTrackerOptions, 'store' | 'maxBatchSize' | 'autoFlushIntervalMs'> & {
    reader?: Pick<BehaviorStore, 'query'>;
  },
): BehaviorTracker {
  const { reader, ...rest } = options;
  return createBehaviorTracker({
    ...rest,
    store: new TrackerBehaviorStore(tracker, reader),
    maxBatchSize: 1,
  });
}
