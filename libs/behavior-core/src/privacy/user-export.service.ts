import { Readable } from 'node:stream';
import { DatabasePool } from '@lssm/nest-common';
import { OverlayUserDataRepository, type OverlayUserDataAfter } from '@lssm/overlay/nest';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import {
  UserExportRepository,
  type UserExportLineReader,
  type UserExportPageReader,
} from './user-export.repository.js';

/** Bumped when a line's shape changes in a way a reader has to know about. */
export const USER_EXPORT_FORMAT_VERSION = 1;

/** The `type` of the data lines, in the order an export writes them. */
export const USER_EXPORT_TYPES = [
  'signal',
  'metric',
  'metricValue',
  'insight',
  'alert',
  'failedSignal',
  'overlay',
  'overlayAudit',
] as const;
export type UserExportType = (typeof USER_EXPORT_TYPES)[number];

/** Rows per database page: one short statement each, and about one page held in memory at a time. */
const PAGE_SIZE = 1_000;

/**
 * Chunks handed to the socket stay below V8's large-object size (128 KiB): a large string is only
 * freed by a full collection, while small ones go with the cheap young-generation ones.
 */
const CHUNK_CHARS = 32 * 1024;

/**
 * A user's data export as NDJSON: a first line with what the export is (`type: "export"`), one line
 * per stored row (`type` names its kind, the row's fields follow), and a last line with the count
 * per type (`type: "end"`). A reader that does not find the last line holds a truncated export.
 */
@Injectable()
export class UserExportService {
  private readonly readers: readonly (readonly [UserExportType, UserExportLineReader])[];

  constructor(
    @Inject(DatabasePool) db: DatabasePool,
    @Inject(CLOCK) private readonly clock: Clock,
    // The overlay lib owns its tables and their SQL; a host without it has no overlay rows.
    @Optional() @Inject(OverlayUserDataRepository) overlays?: OverlayUserDataRepository,
  ) {
    const core = new UserExportRepository(db.read);
    const overlayReader =
      (read: OverlayUserDataRepository['auditPage'] | undefined): UserExportPageReader =>
      async (tenantId, userId, after, limit) => {
        if (!read) return { rows: [], after: null };
        const page = await read(
          tenantId,
          userId,
          after === null ? null : (JSON.parse(after) as OverlayUserDataAfter),
          limit,
        );
        return { rows: page.rows, after: page.after === null ? null : JSON.stringify(page.after) };
      };
    const rendered =
      (type: UserExportType, read: UserExportPageReader): UserExportLineReader =>
      async (tenantId, userId, after, limit) => {
        const page = await read(tenantId, userId, after, limit);
        return { lines: page.rows.map((row) => JSON.stringify({ type, ...row })), after: page.after };
      };
    this.readers = [
      ['signal', core.signals],
      ['metric', rendered('metric', core.metrics)],
      ['metricValue', rendered('metricValue', core.metricValues)],
      ['insight', rendered('insight', core.insights)],
      ['alert', rendered('alert', core.alerts)],
      ['failedSignal', rendered('failedSignal', core.failedSignals)],
      ['overlay', rendered('overlay', overlayReader(overlays && overlays.overlayPage.bind(overlays)))],
      [
        'overlayAudit',
        rendered('overlayAudit', overlayReader(overlays && overlays.auditPage.bind(overlays))),
      ],
    ];
  }

  /**
   * A byte stream that reads the next page only when the previous one was taken by the consumer
   * (piped to the socket: once the socket drained), so memory stays about one page whatever the
   * user's size. Destroying it (the client went away) stops the reads. The first page is read
   * before this resolves: a database outage is still a 503, not a 200 cut short.
   */
  async stream(tenantId: string, userId: string): Promise<Readable> {
    const lines = this.lines(tenantId, userId);
    const first = await lines.next();
    async function* rest(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* lines;
    }
    return Readable.from(rest(), { objectMode: false, encoding: 'utf8', highWaterMark: 64 * 1024 });
  }

  /** NDJSON text in chunks of whole lines; the first also carries the export line. */
  async *lines(tenantId: string, userId: string): AsyncGenerator<string> {
    let pending: string | null = line({
      type: 'export',
      formatVersion: USER_EXPORT_FORMAT_VERSION,
      tenantId,
      userId,
      generatedAt: this.clock.now().toISOString(),
      types: USER_EXPORT_TYPES,
    });
    const counts = Object.fromEntries(USER_EXPORT_TYPES.map((t) => [t, 0])) as Record<UserExportType, number>;
    for (const [type, read] of this.readers) {
      let after: string | null = null;
      do {
        const page = await read(tenantId, userId, after, PAGE_SIZE);
        counts[type] += page.lines.length;
        let chunk = pending ?? '';
        pending = null;
        for (const l of page.lines) {
          chunk += `${l}\n`;
          if (chunk.length >= CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk !== '') yield chunk;
        after = page.after;
      } while (after !== null);
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    yield line({ type: 'end', counts, total });
  }
}

const line = (value: object) => `${JSON.stringify(value)}\n`;
