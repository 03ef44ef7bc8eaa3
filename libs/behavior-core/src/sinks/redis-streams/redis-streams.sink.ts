import { Redis } from 'ioredis';
import type { BehaviorSignalSink, SinkErasureRequest } from '../../contracts/behavior-signal-sink.js';
import type { SignalConsumerBatch } from '../../contracts/behavior-signal-consumer.js';
import { SinkUnavailableError } from '../../stream/sink-unavailable.error.js';
import { signalRecord } from '../signal-record.js';

/** Entries read per XRANGE while looking for an erased user's entries. */
const ERASE_SCAN = 1000;

export interface RedisStreamsSinkOptions {
  readonly name: string;
  readonly url: string;
  /** The stream key; `{tenant}` is replaced by the signal's tenant. */
  readonly stream: string;
  readonly maxLen: number;
  /** How long connecting may take before the sink counts as unavailable (default 5 s). */
  readonly connectTimeoutMs?: number;
}

/**
 * XADDs every signal to its stream, one pipeline per batch, with approximate MAXLEN trimming.
 * Entry ids are Redis's own (`*`): an explicit id must grow per stream, and signals of different
 * partitions reach one tenant's stream in no global order, so a retried batch appends again and
 * readers deduplicate on the `id` field (docs/sinks.md).
 */
export class RedisStreamsSink implements BehaviorSignalSink {
  private redis?: Redis;

  constructor(private readonly options: RedisStreamsSinkOptions) {}

  async init(): Promise<void> {
    const redis = new Redis(this.options.url, {
      lazyConnect: true,
      connectionName: `behavior-sink:${this.options.name}`,
      connectTimeout: this.options.connectTimeoutMs ?? 5000,
      // Fail fast while disconnected: the stream keeps the checkpoint and retries with backoff,
      // so nothing has to wait in a client-side queue (or be resent from one twice).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Failures reach the stream through the deliveries; the client's own reconnect errors would
    // otherwise crash the process as unhandled 'error' events.
    redis.on('error', () => undefined);
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new SinkUnavailableError(`redis ${this.where()}: ${errorText(error)}`, { cause: error });
    }
    this.redis = redis;
  }

  async deliver(batch: SignalConsumerBatch): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') {
      throw new SinkUnavailableError(`redis ${this.where()} is ${redis?.status ?? 'not connected'}`);
    }
    const pipeline = redis.pipeline();
    for (const { signal } of batch.signals) {
      const r = signalRecord(signal);
      pipeline.xadd(
        this.streamOf(r.tenantId),
        'MAXLEN',
        '~',
        this.options.maxLen,
        '*',
        'id',
        r.id,
        'tenantId',
        r.tenantId,
        'schemaId',
        r.schemaId,
        'schemaVersion',
        String(r.schemaVersion),
        'userId',
        r.userId ?? '',
        'sessionId',
        r.sessionId ?? '',
        'occurredAt',
        r.occurredAt,
        'ingestedAt',
        r.ingestedAt,
        'attributes',
        JSON.stringify(r.attributes),
      );
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw new SinkUnavailableError(`redis ${this.where()}: ${errorText(error)}`, { cause: error });
    }
    if (!results || results.length !== batch.signals.length) {
      throw new SinkUnavailableError(`redis ${this.where()}: the pipeline was not run`);
    }
    const failed = results.find(([error]) => error)?.[0];
    if (failed) {
      // Lost connection mid-pipeline, or a reply error (a key that is not a stream, out of
      // memory): neither is about one signal, so nothing is rejected; the batch is retried whole.
      if (redis.status !== 'ready') {
        throw new SinkUnavailableError(`redis ${this.where()}: ${errorText(failed)}`, { cause: failed });
      }
      throw new Error(`redis ${this.where()} refused an XADD: ${errorText(failed)}`, { cause: failed });
    }
  }

  /**
   * XDELs the erased user's entries (or the tenant's) from the tenant's stream, scanning it with
   * XRANGE. A stream key per tenant (`{tenant}` in `stream`) is deleted whole on tenant deletion.
   * Consumer groups keep no copy, but a reader may have read an entry already: readers that store
   * what they read must act on erasures themselves (docs/privacy.md).
   */
  async erase(request: SinkErasureRequest): Promise<number> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') {
      throw new SinkUnavailableError(`redis ${this.where()} is ${redis?.status ?? 'not connected'}`);
    }
    const key = this.streamOf(request.tenantId);
    if (request.kind === 'tenant' && this.options.stream.includes('{tenant}')) {
      const entries = await redis.xlen(key);
      await redis.del(key);
      return entries;
    }
    let removed = 0;
    let start = '-';
    for (;;) {
      const entries = await redis.xrange(key, start, '+', 'COUNT', ERASE_SCAN);
      const doomed = entries
        .filter(([, fields]) => {
          const field = (name: string) => fields[fields.indexOf(name) + 1];
          return (
            field('tenantId') === request.tenantId &&
            (request.kind === 'tenant' || field('userId') === request.userId)
          );
        })
        .map(([id]) => id);
      if (doomed.length > 0) removed += await redis.xdel(key, ...doomed);
      if (entries.length < ERASE_SCAN) return removed;
      start = `(${entries[entries.length - 1][0]}`;
    }
  }

  async close(): Promise<void> {
    const redis = this.redis;
    this.redis = undefined;
    await redis?.quit().catch(() => redis.disconnect());
  }

  private streamOf(tenantId: string): string {
    return this.options.stream.replaceAll('{tenant}', tenantId);
  }

  /** The server without credentials, for messages. */
  private where(): string {
    const url = new URL(this.options.url);
    return `${url.hostname}:${url.port || 6379}`;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
