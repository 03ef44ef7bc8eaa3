import { gunzipSync } from 'node:zlib';
import type { StreamedSignal } from '../../contracts/behavior-signal-consumer';
import { s3SignalObjects } from './s3-object.writer';

function streamed(seq: number, tenantId: string, schemaId: string, timestamp: string): StreamedSignal {
  return {
    partition: 3,
    xid: '1',
    seq: String(seq),
    ingestedAtMs: 0,
    occurredKey: timestamp,
    signal: {
      id: `id-${seq}`,
      tenantId,
      schemaId,
      schemaVersion: 1,
      userId: 'u',
      sessionId: null,
      timestamp,
      ingestedAt: '2026-12-03T00:00:01.000Z',
      attributes: { n: seq },
    },
  } as unknown as StreamedSignal;
}

const lines = (body: Buffer) =>
  gunzipSync(body)
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string });

describe('s3SignalObjects', () => {
  const batch = [
    streamed(10, 't1', 'content.view', '2026-12-02T23:59:59.000Z'),
    streamed(11, 't1', 'content.view', '2026-12-03T00:00:00.000Z'),
    streamed(12, 't2', 'content.view', '2026-12-03T00:00:00.000Z'),
    streamed(13, 't1', 'content.view', '2026-12-03T08:00:00.000Z'),
  ];

  it('groups by tenant, schema and UTC date, keyed by partition and first and last seq, lines in batch order', () => {
    const objects = s3SignalObjects(3, batch, { prefix: 'p/', maxBytes: 1 << 20 });
    expect(objects.map((o) => o.key)).toEqual([
      'p/tenant=t1/schema=content.view/date=2026-12-02/3-10-10.ndjson.gz',
      'p/tenant=t1/schema=content.view/date=2026-12-03/3-11-13.ndjson.gz',
      'p/tenant=t2/schema=content.view/date=2026-12-03/3-12-12.ndjson.gz',
    ]);
    expect(lines(objects[1].body).map((l) => l.id)).toEqual(['id-11', 'id-13']);
    expect(lines(objects[1].body)[0]).toEqual({
      id: 'id-11',
      tenantId: 't1',
      schemaId: 'content.view',
      schemaVersion: 1,
      userId: 'u',
      sessionId: null,
      occurredAt: '2026-12-03T00:00:00.000Z',
      ingestedAt: '2026-12-03T00:00:01.000Z',
      attributes: { n: 11 },
    });
  });

  it('is deterministic, so a redelivered batch overwrites the same keys', () => {
    const a = s3SignalObjects(3, batch, { prefix: '', maxBytes: 1 << 20 });
    const b = s3SignalObjects(3, batch, { prefix: '', maxBytes: 1 << 20 });
    expect(b.map((o) => o.key)).toEqual(a.map((o) => o.key));
  });

  it('splits a group whose NDJSON would pass maxBytes, each part keyed by its own seq range', () => {
    const same = [10, 11, 12, 13].map((s) => streamed(s, 't', 's', '2026-12-03T01:00:00.000Z'));
    const oneLine = Buffer.byteLength(
      `${JSON.stringify({ ...lines(s3SignalObjects(3, same.slice(0, 1), { prefix: '', maxBytes: 1 << 20 })[0].body)[0] })}\n`,
    );
    const objects = s3SignalObjects(3, same, { prefix: '', maxBytes: oneLine * 2 });
    expect(objects.map((o) => o.key.split('/').pop())).toEqual(['3-10-11.ndjson.gz', '3-12-13.ndjson.gz']);
    expect(objects.flatMap((o) => lines(o.body).map((l) => l.id))).toEqual([
      'id-10',
      'id-11',
      'id-12',
      'id-13',
    ]);
  });
});
