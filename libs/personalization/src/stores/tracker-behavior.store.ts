import type { Tracker } from '@lssm/tracker';
import type { BehaviorQuery, BehaviorStore } from '../contracts/behavior-store.js';
import type { BehaviorEvent } from '../events/behavior-event.js';
import { BehaviorStoreError } from './behavior-store.error.js';
import { toSignalPayload } from './behavior-signal.mapper.js';

/**
 * The field/feature/workflow helpers on top of `@lssm/tracker`: each event is handed to the tracker,
 * which owns batching, retries, the persistent queue and page-hide delivery. The event id travels as
 * the signalKey, so the service stores each helper event once however often the tracker resends it.
 * Reading back (`query`, what the analyzer uses) goes to `reader` when one is given.
 */
export class TrackerBehaviorStore implements BehaviorStore {
  constructor(
    private readonly tracker: Pick<Tracker, 'track'>,
    private readonly reader?: Pick<BehaviorStore, 'query'>,
  ) {}

  async append(events: readonly BehaviorEvent[]): Promise<void> {
    for (const event of events) {
      const payload = toSignalPayload(event);
      this.tracker.track(payload.schemaId, payload.attributes, {
        signalKey: payload.signalKey,
        timestamp: payload.timestamp,
        ...(payload.userId === undefined ? {} : { userId: payload.userId }),
        ...(payload.sessionId === undefined ? {} : { sessionId: payload.sessionId }),
      });
    }
  }

  async query(query: BehaviorQuery): Promise<BehaviorEvent[]> {
    if (!this.reader) {
      throw new BehaviorStoreError(
        'TrackerBehaviorStore only sends; pass a reader (e.g. HttpBehaviorStore) to query',
        {
          retryable: false,
        },
      );
    }
    return this.reader.query(query);
  }
}
