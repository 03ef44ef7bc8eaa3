import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_SIGNAL_BATCH_INGESTED,
  BEHAVIOR_SIGNAL_INGESTED,
  BEHAVIOR_SIGNAL_SINK,
  CLOCK,
  SCHEMA_REGISTRY,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type { BehaviorSignal, FailedSignal, SignalIssue } from '../contracts/behavior-signal.js';
import type { BehaviorSignalSink } from '../contracts/behavior-signal-sink.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../database/database-unavailable.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { behaviorTracer, Traced } from '../telemetry/behavior-tracer.js';
import { nextSignalId } from './signal-id.generator.js';
import { checkEnvelope } from './signal-envelope.validator.js';

export interface IngestItemResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  id?: string;
  errors?: SignalIssue[];
}

export interface IngestOptions {
  /**
   * Store rejected items in failed_signals (default true). A replay passes false: an
   * item that fails again stays in its existing failed_signals row instead of adding one.
   */
  readonly keepFailures?: boolean;
}

export interface SignalBatchIngestedEvent {
  tenantId: string;
  signalIds: string[];
}

/** Validates, enriches and stores signals; answers per item, after commit. */
@Injectable()
export class SignalIngestionService {
  constructor(
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(BEHAVIOR_SIGNAL_SINK) private readonly sink: BehaviorSignalSink,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  @Traced('behavior.signals.ingest')
  async ingest(
    tenantId: string,
    items: readonly unknown[],
    options: IngestOptions = {},
  ): Promise<IngestItemResult[]> {
    const keepFailures = options.keepFailures ?? true;
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const latest = now.getTime() + this.options.settings.ingestion.maxClockSkewMs;
    const results: IngestItemResult[] = new Array(items.length);
    const signals: BehaviorSignal[] = [];
    const signalIndex: number[] = [];
    const failed: FailedSignal[] = [];

    // One span for the whole request's validation (no I/O inside, so it need not be active).
    const validation = behaviorTracer.startSpan('behavior.signals.validate', {
      attributes: { 'behavior.signal.count': items.length },
    });
    items.forEach((item, index) => {
      const reject = (reasons: SignalIssue[]) => {
        results[index] = { index, status: 'rejected', errors: reasons };
        if (keepFailures) failed.push(toFailed(tenantId, item, reasons, nowIso));
        this.telemetry.signalRejected(schemaIdOf(item) ?? 'unknown', reasons[0]?.code ?? 'invalid');
      };
      const check = checkEnvelope(item);
      if (!check.ok) return reject(check.issues);
      const { envelope, occurredAt } = check;
      if (occurredAt && occurredAt.getTime() > latest) {
        return reject([
          {
            path: 'timestamp',
            code: 'clock_skew',
            message: `timestamp is more than ${this.options.settings.ingestion.maxClockSkewMs} ms in the future`,
          },
        ]);
      }
      const verdict = this.registry.validate(envelope.schemaId, envelope.schemaVersion, envelope.attributes);
      if (!verdict.ok)
        return reject(verdict.errors.map(({ path, code, message }) => ({ path, code, message })));
      signalIndex.push(index);
      signals.push({
        id: nextSignalId(),
        tenantId,
        userId: envelope.userId ?? null,
        sessionId: envelope.sessionId ?? null,
        schemaId: envelope.schemaId,
        schemaVersion: verdict.definition.version,
        signalKey: envelope.signalKey ?? null,
        source: envelope.source ?? null,
        timestamp: occurredAt ? occurredAt.toISOString() : nowIso,
        ingestedAt: nowIso,
        attributes: envelope.attributes,
      });
    });

    validation.setAttribute('behavior.signal.rejected', items.length - signals.length);
    validation.end();

    let outcomes;
    try {
      ({ outcomes } = await this.sink.acceptBatch(signals, failed));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw databaseUnavailable();
      throw error;
    }
    const storedIds: string[] = [];
    outcomes.forEach((outcome, i) => {
      const index = signalIndex[i];
      if (outcome.status === 'stored') {
        storedIds.push(outcome.id);
        results[index] = { index, status: 'accepted', id: outcome.id };
        this.telemetry.signalStored(signals[i].schemaId);
      } else {
        results[index] = { index, status: 'duplicate', id: outcome.id };
      }
    });
    if (storedIds.length > 0) {
      if (items.length === 1) this.events.emit(BEHAVIOR_SIGNAL_INGESTED, signals[0]);
      this.events.emit(BEHAVIOR_SIGNAL_BATCH_INGESTED, {
        tenantId,
        signalIds: storedIds,
      } satisfies SignalBatchIngestedEvent);
    }
    return results;
  }
}

function schemaIdOf(item: unknown): string | null {
  const id = (item as { schemaId?: unknown } | null)?.schemaId;
  return typeof id === 'string' ? id.slice(0, 128) : null;
}

function toFailed(tenantId: string, item: unknown, reasons: SignalIssue[], failedAt: string): FailedSignal {
  const raw = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const version = raw.schemaVersion;
  const key = raw.signalKey;
  return {
    id: nextSignalId(),
    tenantId,
    schemaId: schemaIdOf(item),
    schemaVersion: Number.isInteger(version) ? (version as number) : null,
    signalKey: typeof key === 'string' ? key.slice(0, 256) : null,
    payload: item === undefined ? null : item,
    reasons,
    failedAt,
  };
}
