import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_SIGNAL_BATCH_INGESTED,
  BEHAVIOR_SIGNAL_INGESTED,
  BEHAVIOR_SIGNAL_STORE,
  CLOCK,
  SCHEMA_REGISTRY,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type { BehaviorSignal, FailedSignal, SignalIssue } from '../contracts/behavior-signal.js';
import type { BehaviorSignalStore } from '../contracts/behavior-signal-store.js';
import { databaseUnavailable, DomainError, isDatabaseUnavailable } from '@lssm/nest-common';
import { DETAILED_VALIDATION_MAX_NODES, MAX_ISSUES_PER_ITEM } from '../schema/attribute-limits.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { QueueFullError } from '../storage/group-commit.queue.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { behaviorTracer, Traced } from '../telemetry/behavior-tracer.js';
import { PiiTreatmentService } from '../pii/pii-treatment.service.js';
import { UserIdHasher } from '../privacy/user-id.hasher.js';
import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { toFailedSignal } from './failed-signal.builder.js';
import { nextSignalId } from './signal-id.generator.js';
import { checkEnvelope } from './signal-envelope.validator.js';
import { checkStorable } from './storable-value.guard.js';

export interface IngestItemResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  id?: string;
  /** The first MAX_ISSUES_PER_ITEM problems. */
  errors?: SignalIssue[];
  /** How many problems the item has in all; present only when `errors` shows fewer. */
  errorCount?: number;
}

/**
 * Distinct months (signal partitions) one request may write to. With the default
 * maxAgeDays a request spans at most 15; this bounds it when maxAgeDays is raised.
 */
export const MAX_MONTHS_PER_REQUEST = 24;

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
    @Inject(BEHAVIOR_SIGNAL_STORE) private readonly store: BehaviorSignalStore,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly telemetry: BehaviorTelemetry,
    private readonly pii: PiiTreatmentService,
    private readonly hasher: UserIdHasher,
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
    const { maxClockSkewMs, maxAgeDays, maxFailedPayloadBytes } = this.options.settings.ingestion;
    const latest = now.getTime() + maxClockSkewMs;
    const earliest = now.getTime() - maxAgeDays * 86_400_000;
    const months = new Set<string>();
    const results: IngestItemResult[] = new Array(items.length);
    const signals: BehaviorSignal[] = [];
    const signalIndex: number[] = [];
    const failed: FailedSignal[] = [];
    const failedUserIds: (string | null)[] = [];

    // One span for the whole request's validation (no I/O inside, so it need not be active).
    const validation = behaviorTracer.startSpan('behavior.signals.validate', {
      attributes: { 'behavior.signal.count': items.length },
    });
    items.forEach((item, index) => {
      // Checked first: everything after (Ajv, error paths, the failed-signal record) may then
      // assume bounded depth and size, and nothing unstorable reaches the shared write.
      const storable = checkStorable(item);
      const reject = (reasons: SignalIssue[], total = reasons.length) => {
        // Sensitive values are masked in what is answered and kept (failed_signals): a message
        // about a sensitive attribute is replaced, its value in the stored payload becomes "***".
        // Also for an unstorable item: its truncated preview is cut from the masked payload.
        const definitions = this.definitionsOf(item);
        const errors = reasons
          .slice(0, MAX_ISSUES_PER_ITEM)
          .map((reason) =>
            definitions.some((definition) => this.pii.isSensitive(definition, reason.path))
              ? { ...reason, message: sensitiveMessage(reason.code) }
              : reason,
          );
        results[index] = {
          index,
          status: 'rejected',
          errors,
          ...(total > errors.length ? { errorCount: total } : {}),
        };
        if (keepFailures) {
          const userId = (item as { userId?: unknown } | null)?.userId;
          failedUserIds.push(typeof userId === 'string' ? userId : null);
          failed.push(
            toFailedSignal({
              tenantId,
              item: this.maskItem(definitions, item),
              reasons: errors,
              failedAt: nowIso,
              storable,
              maxFailedPayloadBytes,
            }),
          );
        }
        // Only a registered schema id becomes a label: a client-chosen one would let any
        // caller grow the metric's series without bound.
        const schemaId = storable.issueCount === 0 ? schemaIdOf(item) : null;
        this.telemetry.signalRejected(
          schemaId !== null && this.registry.has(schemaId) ? schemaId : 'unknown',
          reasons[0]?.code ?? 'invalid',
        );
      };
      if (storable.issueCount > 0) return reject(storable.issues, storable.issueCount);
      const check = checkEnvelope(item);
      if (!check.ok) return reject(check.issues);
      const { envelope, occurredAt } = check;
      if (occurredAt && occurredAt.getTime() > latest) {
        return reject([
          {
            path: 'timestamp',
            code: 'clock_skew',
            message: `timestamp is more than ${maxClockSkewMs} ms in the future`,
          },
        ]);
      }
      if (occurredAt && occurredAt.getTime() < earliest) {
        return reject([
          {
            path: 'timestamp',
            code: 'too_old',
            message: `timestamp is more than ${maxAgeDays} days in the past (ai.behavior.ingestion.maxAgeDays)`,
          },
        ]);
      }
      const timestamp = occurredAt ? occurredAt.toISOString() : nowIso;
      const month = timestamp.slice(0, 7);
      if (!months.has(month) && months.size >= MAX_MONTHS_PER_REQUEST) {
        return reject([
          {
            path: 'timestamp',
            code: 'too_many_months',
            message: `one request may carry signals of at most ${MAX_MONTHS_PER_REQUEST} distinct months`,
          },
        ]);
      }
      const verdict = this.registry.validate(envelope.schemaId, envelope.schemaVersion, envelope.attributes, {
        detailed: storable.nodes <= DETAILED_VALIDATION_MAX_NODES,
      });
      if (!verdict.ok)
        return reject(verdict.errors.map(({ path, code, message }) => ({ path, code, message })));
      months.add(month);
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
        timestamp,
        ingestedAt: nowIso,
        attributes: this.pii.treat(tenantId, verdict.definition, envelope.attributes),
      });
    });

    validation.setAttribute('behavior.signal.rejected', items.length - signals.length);
    validation.end();

    let outcomes;
    try {
      // The store checks each user hash against the suppression list inside its write.
      const userTags = await this.hasher.tags(
        tenantId,
        signals.map((s) => s.userId),
        this.options.settings.privacy.suppression.mode === 'pseudonymize',
      );
      const failedTags = await this.hasher.tags(tenantId, failedUserIds, false);
      const kept = failed.map((f, i) => (failedTags[i] ? { ...f, userHash: failedTags[i].userHash } : f));
      ({ outcomes } = await this.store.acceptBatch(signals, kept, userTags));
    } catch (error) {
      if (isDatabaseUnavailable(error))
        throw databaseUnavailable('The database is unavailable; nothing was stored. Retry later.');
      if (error instanceof QueueFullError) throw overloaded();
      throw error;
    }
    const storedIds: string[] = [];
    outcomes.forEach((outcome, i) => {
      const index = signalIndex[i];
      if (outcome.status === 'refused') {
        // Values are checked before the store, so this means a check is missing; the item alone pays.
        results[index] = {
          index,
          status: 'rejected',
          errors: [{ path: '(signal)', code: 'not_storable', message: 'the database refused this signal' }],
        };
        this.telemetry.signalRejected(signals[i].schemaId, 'not_storable');
      } else if (outcome.status === 'suppressed') {
        // Not kept in failed_signals either: that would store the erased user's id again.
        results[index] = {
          index,
          status: 'rejected',
          errors: [
            {
              path: 'userId',
              code: 'user_suppressed',
              message: "this user's data was erased; their new signals are refused",
            },
          ],
        };
        this.telemetry.signalRejected(signals[i].schemaId, 'user_suppressed');
      } else if (outcome.status === 'stored') {
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

  /**
   * The definitions whose sensitive markings apply to a rejected item: the version it names, or
   * every version of its schema id when that version is unknown or malformed (masking too much
   * beats storing a sensitive value). None when the id is unknown: nothing says what is sensitive.
   */
  private definitionsOf(item: unknown): SignalSchemaDefinition[] {
    const schemaId = schemaIdOf(item);
    if (schemaId === null || !this.registry.has(schemaId)) return [];
    const version = (item as { schemaVersion?: unknown }).schemaVersion;
    const named = this.registry.get(schemaId, version === undefined ? undefined : Number(version));
    if (named && (version === undefined || named.version === version)) return [named];
    return this.registry.versions(schemaId).flatMap((v) => this.registry.get(schemaId, v) ?? []);
  }

  private maskItem(definitions: readonly SignalSchemaDefinition[], item: unknown): unknown {
    const attributes = (item as { attributes?: unknown } | null)?.attributes;
    let masked = attributes;
    for (const definition of definitions) masked = this.pii.mask(definition, masked);
    return masked === attributes ? item : { ...(item as object), attributes: masked };
  }
}

function sensitiveMessage(code: string): string {
  return `sensitive attribute failed its ${code} check (value not shown)`;
}

function schemaIdOf(item: unknown): string | null {
  const id = (item as { schemaId?: unknown } | null)?.schemaId;
  return typeof id === 'string' ? id.slice(0, 128) : null;
}

function overloaded(): DomainError {
  return new DomainError({
    status: 503,
    message: 'Too many signals are waiting to be written; nothing was stored. Retry later.',
    code: 'overloaded',
    retryAfterSeconds: 1,
  });
}
