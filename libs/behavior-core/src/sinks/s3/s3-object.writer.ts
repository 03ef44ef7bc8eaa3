import { gzipSync } from 'node:zlib';
import type { StreamedSignal } from '../../contracts/behavior-signal-consumer.js';
import { signalRecord } from '../signal-record.js';

/** One object to PUT: its key and its gzipped NDJSON body. */
export interface S3SignalObject {
  readonly key: string;
  readonly body: Buffer;
  readonly signals: number;
}

/**
 * The objects one batch becomes: grouped by tenant, schema and the UTC date the signal occurred,
 * in batch (commit) order within each group, split where a group's NDJSON would pass `maxBytes`.
 * A key names the partition and the first and last `seq` it holds, so the same signals always
 * make the same key and a redelivered batch overwrites its objects instead of adding copies.
 */
export function s3SignalObjects(
  partition: number,
  signals: readonly StreamedSignal[],
  options: { readonly prefix: string; readonly maxBytes: number },
): S3SignalObject[] {
  const groups = new Map<string, { dir: string; lines: { seq: string; line: string }[] }>();
  for (const s of signals) {
    const record = signalRecord(s.signal);
    const dir = `${options.prefix}tenant=${record.tenantId}/schema=${record.schemaId}/date=${record.occurredAt.slice(0, 10)}/`;
    let group = groups.get(dir);
    if (!group) groups.set(dir, (group = { dir, lines: [] }));
    group.lines.push({ seq: s.seq, line: `${JSON.stringify(record)}\n` });
  }
  const objects: S3SignalObject[] = [];
  for (const { dir, lines } of groups.values()) {
    let part: { seq: string; line: string }[] = [];
    let bytes = 0;
    const flush = () => {
      if (part.length === 0) return;
      objects.push({
        key: `${dir}${partition}-${part[0].seq}-${part[part.length - 1].seq}.ndjson.gz`,
        body: gzipSync(part.map((l) => l.line).join('')),
        signals: part.length,
      });
      part = [];
      bytes = 0;
    };
    for (const l of lines) {
      const size = Buffer.byteLength(l.line);
      if (bytes + size > options.maxBytes) flush();
      part.push(l);
      bytes += size;
    }
    flush();
  }
  return objects;
}
