import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { BehaviorSignalSink, SinkErasureRequest } from '../../contracts/behavior-signal-sink.js';
import type { SignalConsumerBatch } from '../../contracts/behavior-signal-consumer.js';
import { SinkUnavailableError } from '../../stream/sink-unavailable.error.js';
import { s3SignalObjects } from './s3-object.writer.js';

export interface S3SinkOptions {
  readonly name: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxBytes: number;
  /** A delivery waits for a full batch until its oldest signal is this old: fewer, larger objects. */
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
}

/**
 * Writes each batch as gzipped NDJSON objects and resolves only once every PUT succeeded, so the
 * stream's checkpoint never passes a signal that is not in the bucket. Keys are derived from the
 * signals themselves, so a retried batch overwrites rather than duplicates.
 */
export class S3SignalSink implements BehaviorSignalSink {
  private client?: S3Client;
  readonly lingerMs: number;

  constructor(private readonly options: S3SinkOptions) {
    this.lingerMs = options.maxAgeMs;
  }

  async init(): Promise<void> {
    this.client = new S3Client({
      region: this.options.region,
      endpoint: this.options.endpoint,
      forcePathStyle: this.options.forcePathStyle,
      // The SDK annotates the credentials object it is given; the settings tree is frozen.
      credentials: this.options.credentials && { ...this.options.credentials },
      // The SDK's default CRC checksums are not understood by every S3-protocol server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      // One quick retry of its own; longer outages are the stream's backoff's job.
      maxAttempts: 2,
    });
  }

  async deliver(batch: SignalConsumerBatch): Promise<void> {
    const client = this.client;
    if (!client) throw new SinkUnavailableError(`s3 sink "${this.options.name}" is not open`);
    const objects = s3SignalObjects(batch.partition, batch.signals, this.options);
    await Promise.all(
      objects.map(async (o) => {
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: this.options.bucket,
              Key: o.key,
              Body: o.body,
              ContentType: 'application/x-ndjson',
              ContentEncoding: 'gzip',
            }),
            { abortSignal: AbortSignal.timeout(this.options.timeoutMs) },
          );
        } catch (error) {
          throw this.failure(error, o.key);
        }
      }),
    );
  }

  /**
   * Objects hold many users' signals and are immutable, so an erasure is recorded, not applied:
   * `<prefix>tombstones/<tenant>/<erasureId>.json` names the keyed hash of the user (never the id)
   * or the whole tenant, and when; readers of the lake drop the matching rows, and a compaction job
   * of yours can rewrite the affected objects (docs/privacy.md). Written again on a retry (same key).
   */
  async erase(request: SinkErasureRequest): Promise<number> {
    const client = this.client;
    if (!client) throw new SinkUnavailableError(`s3 sink "${this.options.name}" is not open`);
    const key = `${this.options.prefix}tombstones/${request.tenantId}/${request.erasureId}.json`;
    const body = JSON.stringify({
      erasureId: request.erasureId,
      kind: request.kind,
      tenantId: request.tenantId,
      userHash: request.userHash,
      objectsUnder: `${this.options.prefix}tenant=${request.tenantId}/`,
      erasedAt: new Date().toISOString(),
    });
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
        }),
        { abortSignal: AbortSignal.timeout(this.options.timeoutMs) },
      );
    } catch (error) {
      throw this.failure(error, key);
    }
    return 1;
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = undefined;
  }

  /**
   * No connection, a timeout, throttling or a 5xx: the store is unavailable, retry later. A 4xx
   * (no such bucket, access denied) is about the configuration, not one signal: a plain error, so
   * the partition waits and nothing is parked.
   */
  private failure(error: unknown, key: string): Error {
    const where = `s3://${this.options.bucket}/${key}${this.options.endpoint ? ` at ${this.options.endpoint}` : ''}`;
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (status === undefined || status >= 500 || status === 429 || status === 408) {
      return new SinkUnavailableError(`${where}: ${text}`, { cause: error });
    }
    return new Error(`${where} refused the PUT (${status}): ${text}`, { cause: error });
  }
}
