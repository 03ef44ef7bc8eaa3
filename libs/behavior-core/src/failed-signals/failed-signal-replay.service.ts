import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import { PiiTreatmentService } from '../pii/pii-treatment.service.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import type { SignalIssue } from '../contracts/behavior-signal.js';
import { SignalIngestionService } from '../ingestion/signal-ingestion.service.js';
import {
  FailedSignalRepository,
  type FailedSignalFilter,
  type FailedSignalRecord,
  type ReplayMark,
} from './failed-signal.repository.js';

export const DEFAULT_REPLAY_LIMIT = 100;
export const MAX_REPLAY_LIMIT = 500;

export interface ReplayRequest extends Omit<FailedSignalFilter, 'tenantId'> {
  readonly ids?: readonly string[];
  readonly limit?: number;
}

export interface ReplayItemResult {
  readonly failedSignalId: string;
  readonly status: 'replayed' | 'duplicate' | 'still_failing';
  readonly signalId?: string;
  readonly errors?: SignalIssue[];
}

export interface ReplayResult {
  readonly replayed: number;
  readonly duplicates: number;
  readonly stillFailing: number;
  readonly results: ReplayItemResult[];
}

/**
 * Re-validates stored failed items against the schemas loaded now (after a schema
 * fix) and ingests those that pass, through the ingestion service (same
 * enrichment, idempotency, events). Rows are claimed under a row lock for the
 * whole replay, so concurrent replays never take the same row.
 */
@Injectable()
export class FailedSignalReplayService {
  // Replays in one process run one after another: each holds a pooled connection for its
  // transaction while the sink needs others to write, so parallel replays could starve the pool.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(FailedSignalRepository) private readonly repository: FailedSignalRepository,
    private readonly ingestion: SignalIngestionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    private readonly pii: PiiTreatmentService,
  ) {}

  /**
   * A truncated payload (too big or not storable when it arrived), or one whose sensitive
   * values were masked, cannot be replayed: it stays failing with its original reasons.
   */
  private unreplayable(row: FailedSignalRecord): boolean {
    if (isTruncatedPayload(row.payload)) return true;
    if (row.schemaId === null) return false;
    const definition = this.registry.get(row.schemaId, row.schemaVersion ?? undefined);
    return (
      definition !== undefined &&
      this.pii.carriesMaskedValue(definition, (row.payload as { attributes?: unknown } | null)?.attributes)
    );
  }

  replay(tenantId: string, request: ReplayRequest = {}): Promise<ReplayResult> {
    const run = this.queue.then(() => this.replayNow(tenantId, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replayNow(tenantId: string, request: ReplayRequest): Promise<ReplayResult> {
    return transaction(this.db.background, async (client) => {
      const rows = await this.repository.claimForReplay(client, {
        tenantId,
        ...request,
        limit: request.limit ?? DEFAULT_REPLAY_LIMIT,
      });
      // Still failing items stay in their own row (keepFailures: false) instead of adding a new one.
      const replayable = rows.filter((row) => !this.unreplayable(row));
      const ingested =
        replayable.length === 0
          ? []
          : await this.ingestion.ingest(tenantId, replayable.map(toReplayEnvelope), { keepFailures: false });
      let next = 0;
      const outcomes = rows.map((row) =>
        this.unreplayable(row) ? { status: 'rejected' as const, errors: row.reasons } : ingested[next++],
      );
      const results: ReplayItemResult[] = [];
      const marks: ReplayMark[] = [];
      let replayed = 0;
      let duplicates = 0;
      let stillFailing = 0;
      outcomes.forEach((outcome, i) => {
        const failedSignalId = rows[i].id;
        if (outcome.status === 'rejected') {
          stillFailing++;
          results.push({ failedSignalId, status: 'still_failing', errors: outcome.errors });
          marks.push({ id: failedSignalId, signalId: null, reasons: outcome.errors ?? [] });
          return;
        }
        if (outcome.status === 'accepted') replayed++;
        else duplicates++;
        results.push({
          failedSignalId,
          status: outcome.status === 'accepted' ? 'replayed' : 'duplicate',
          signalId: outcome.id,
        });
        marks.push({ id: failedSignalId, signalId: outcome.id!, reasons: null });
      });
      await this.repository.markReplayed(client, tenantId, marks, this.clock.now());
      return { replayed, duplicates, stillFailing, results };
    });
  }
}

/**
 * The stored payload as a replayable envelope. The time defaults to when the item
 * first arrived, not to the replay. An item without a signalKey gets one derived
 * from its failed row, so a replay interrupted between storing the signal and
 * marking the row cannot store it a second time when run again.
 */
function toReplayEnvelope(row: FailedSignalRecord): unknown {
  const payload = row.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const envelope = { ...(payload as Record<string, unknown>) };
  if (!Object.hasOwn(envelope, 'timestamp')) envelope.timestamp = row.failedAt;
  if (!Object.hasOwn(envelope, 'signalKey')) envelope.signalKey = `replay:${row.id}`;
  return envelope;
}

function isTruncatedPayload(payload: unknown): boolean {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { truncated?: unknown }).truncated === true &&
    Object.hasOwn(payload, 'preview')
  );
}
