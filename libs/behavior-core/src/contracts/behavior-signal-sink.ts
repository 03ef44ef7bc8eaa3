import type { SignalConsumerBatch } from './behavior-signal-consumer.js';

/**
 * A downstream receiver of committed signals (a stream, a queue, your own), one instance per entry
 * of `ai.behavior.sinks`. The signal stream feeds it as the external consumer `sink:<name>`: only
 * signals already committed to the signal store, per partition in commit order (so a user's signals
 * in the order they were stored), at least once, with `signal.id` as the idempotency key.
 *
 * `deliver` resolves only once the receiver acknowledged every signal of the batch; the checkpoint
 * moves after that, never before. How it fails decides what the stream does (docs/sinks.md):
 * - `SinkUnavailableError`: the receiver cannot take anything now (connection refused, timeout,
 *   broker down). The partition keeps its checkpoint and retries with growing backoff; nothing is
 *   ever parked for it, however long it lasts.
 * - `SignalRejectedError(signalId, reason)`: the receiver refuses that one signal for good. Once the
 *   stream tries the signals one at a time, that signal is parked for this sink and the rest goes on.
 * - anything else: the batch failed for a reason the sink cannot pin on one signal. After three
 *   failures in a row the signals go one at a time, so a per-signal refusal can name its signal;
 *   without a `SignalRejectedError` nothing is parked and the partition waits.
 */
/** An erasure forwarded to a sink (docs/privacy.md): one user of a tenant, or the whole tenant. */
export interface SinkErasureRequest {
  readonly erasureId: string;
  readonly kind: 'user' | 'tenant';
  readonly tenantId: string;
  /** The user's id (kind `user`), to find what the sink delivered; do not store it. */
  readonly userId: string | null;
  /** The keyed hash of the id (kind `user`): what a tombstone may record instead. */
  readonly userHash: string | null;
}

export interface BehaviorSignalSink {
  deliver(batch: SignalConsumerBatch): Promise<void>;
  /**
   * Acts on an erasure where the receiver can: deletes what it delivered of the user or tenant, or
   * records a tombstone for its readers. Returns how many entries it removed or wrote. Called after
   * PostgreSQL's rows are gone, possibly again for the same erasure (be idempotent); `init` has run.
   * A sink without it is reported as not reached.
   */
  erase?(request: SinkErasureRequest): Promise<number>;
  /** Deliveries smaller than the entry's `batchSize` wait until their oldest signal is this old (see `lingerMs` of a consumer). */
  readonly lingerMs?: number;
  /** Connects; called before the first delivery in a process that delivers (never in an API-only one). A failure counts as unavailable and is retried. */
  init?(): Promise<void>;
  /** Called once at shutdown after the last delivery, if `init` succeeded. */
  close?(): Promise<void>;
}

/**
 * The JSON Schema of a sink type's own settings (an entry's keys beside the common ones), e.g.
 * `Type.Object({...}, { additionalProperties: false })` from TypeBox. `additionalProperties` must be
 * false, so a misspelt setting stops start-up (checked when the type is registered).
 */
export interface SignalSinkSettingsSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly additionalProperties?: unknown;
  readonly required?: readonly string[];
}

/** What the service tells a sink type about itself when checking and creating sinks. */
export interface SignalSinkServiceContext {
  /** `redis.url` (REDIS_URL), or null. */
  readonly redisUrl: string | null;
}

/**
 * A kind of sink, as data: its `type` (what `ai.behavior.sinks[].type` names) and the schema of its
 * settings, checked at start-up with the rest of the configuration.
 */
export interface SignalSinkTypeSpec {
  readonly type: string;
  readonly settingsSchema: SignalSinkSettingsSchema;
  /** What the schema cannot say, as `key: reason` relative to the entry. */
  settingsProblems?(settings: Readonly<Record<string, unknown>>, service: SignalSinkServiceContext): string[];
}

/**
 * A provider marked `@RegisterSignalSink()`: every entry of `ai.behavior.sinks` with its `type`
 * gets its own instance from `create` (settings validated against `settingsSchema`, without the
 * common keys `name`, `type`, `batchSize`, `failureWarningMs`). `create` should not connect: the
 * stream calls `init` where it delivers.
 */
export interface BehaviorSignalSinkFactory<
  TSettings extends object = Record<string, unknown>,
> extends SignalSinkTypeSpec {
  create(settings: TSettings, name: string): BehaviorSignalSink;
}
