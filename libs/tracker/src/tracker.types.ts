export interface TrackedSignal {
  schemaId: string;
  schemaVersion?: number;
  // Idempotency key: the server stores a (schemaId, signalKey) pair once, so a retry never duplicates.
  signalKey: string;
  userId?: string;
  sessionId?: string;
  timestamp: string;
  attributes: Record<string, unknown>;
}

export interface TrackOptions {
  userId?: string;
  // A caller's own idempotency key (e.g. an event id it already has); a UUID is generated otherwise.
  signalKey?: string;
  sessionId?: string;
  timestamp?: Date | string;
  schemaVersion?: number;
}

export interface DroppedSignal {
  signal: TrackedSignal;
  reason: 'rejected' | 'overflow';
  errors?: unknown[];
}

export interface QueueStore {
  load(): Promise<TrackedSignal[]>;
  save(signals: TrackedSignal[]): Promise<void>;
}
