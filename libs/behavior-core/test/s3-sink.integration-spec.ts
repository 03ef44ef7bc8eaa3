import type { SignalConsumerBatch, StreamedSignal } from '../src/contracts/behavior-signal-consumer';
import { S3SignalSink } from '../src/sinks/s3/s3.sink';
import { SinkUnavailableError } from '../src/stream/sink-unavailable.error';
import { S3ServerProcess } from '../../../test/support/s3-server.process';

const BATCH: SignalConsumerBatch = {
  partition: 0,
  signals: [
    {
      partition: 0,
      xid: '1',
      seq: '1',
      ingestedAtMs: 0,
      occurredKey: '',
      signal: {
        id: '0190a0a0-0000-7000-8000-000000000001',
        tenantId: 't',
        schemaId: 'content.view',
        schemaVersion: 1,
        userId: 'u',
        sessionId: null,
        timestamp: '2026-12-03T00:00:00.000Z',
        ingestedAt: '2026-12-03T00:00:00.000Z',
        attributes: {},
      },
    } as unknown as StreamedSignal,
  ],
};

describe('S3SignalSink failures (real s3rver)', () => {
  let server: S3ServerProcess;
  const sink = (bucket: string) =>
    new S3SignalSink({
      name: 'lake',
      bucket,
      prefix: '',
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAgeMs: 0,
      maxBytes: 1 << 20,
      timeoutMs: 2000,
    });

  beforeAll(async () => {
    server = await S3ServerProcess.start('lake');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers to an existing bucket', async () => {
    const s = sink('lake');
    await s.init();
    await expect(s.deliver(BATCH)).resolves.toBeUndefined();
    await s.close();
  });

  it('fails a missing bucket as a plain error (configuration, nothing parked) naming the object', async () => {
    const s = sink('no-such-bucket');
    await s.init();
    const error = await s.deliver(BATCH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SinkUnavailableError);
    expect(String(error)).toMatch(
      /s3:\/\/no-such-bucket\/tenant=t\/schema=content\.view\/date=2026-12-03\/0-1-1\.ndjson\.gz/,
    );
    await s.close();
  });

  it('is unavailable while the server is down, and delivers again once it is back', async () => {
    const s = sink('lake');
    await s.init();
    await server.kill();
    await expect(s.deliver(BATCH)).rejects.toBeInstanceOf(SinkUnavailableError);
    await server.restart();
    await expect(s.deliver(BATCH)).resolves.toBeUndefined();
    await s.close();
  });
});
