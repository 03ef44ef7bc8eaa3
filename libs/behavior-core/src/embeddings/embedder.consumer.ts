import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BEHAVIOR_CORE_OPTIONS,
  CLOCK,
  EMBEDDING_PROVIDER,
  SCHEMA_REGISTRY,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type { ExternalSignalConsumer, SignalConsumerBatch } from '../contracts/behavior-signal-consumer.js';
import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type { EmbeddingProvider, EmbeddingResult } from '../contracts/embedding-provider.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { RegisterSignalConsumer } from '../stream/signal-consumer.decorator.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { embeddingContentHash } from './embedding-text.js';
import { EmbeddingRepository, type EmbeddingRow, type EmbeddingSpace } from './embedding.repository.js';

/** The embedder's name as a consumer of the signal stream (its checkpoints). */
export const EMBEDDINGS_CONSUMER = 'embeddings';

interface Candidate {
  readonly signal: BehaviorSignal;
  readonly field: string;
  readonly text: string;
  readonly hash: string;
}

/**
 * Embeds the fields a schema's `embeddingPolicy` selects. External delivery: the provider may be
 * an HTTP call of seconds, and no transaction stays open meanwhile; each write is its own
 * statement and idempotent on (signal, field), so a batch delivered again adds nothing and
 * costs nothing. A text already embedded in the tenant (same normalized text, provider, model)
 * reuses its vector without a provider call.
 */
@RegisterSignalConsumer()
@Injectable()
export class EmbedderConsumer implements ExternalSignalConsumer {
  readonly name = EMBEDDINGS_CONSUMER;
  readonly delivery = 'external';
  private readonly logger = new Logger('Embedder');

  constructor(
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: EmbeddingRepository,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  get batchSize(): number {
    return this.options.settings.embeddings.batchSize;
  }

  async handle(batch: SignalConsumerBatch): Promise<number> {
    const byTenant = new Map<string, Candidate[]>();
    for (const { signal } of batch.signals) {
      const candidates = this.candidates(signal);
      if (candidates.length === 0) continue;
      const list = byTenant.get(signal.tenantId) ?? [];
      list.push(...candidates);
      byTenant.set(signal.tenantId, list);
    }
    let stored = 0;
    for (const [tenantId, candidates] of byTenant) stored += await this.embedTenant(tenantId, candidates);
    return stored;
  }

  /** The policy's fields of one signal with text of at least minLength. */
  private candidates(signal: BehaviorSignal): Candidate[] {
    const policy = this.schemas.get(signal.schemaId, signal.schemaVersion)?.embeddingPolicy;
    if (!policy?.enabled) return [];
    const out: Candidate[] = [];
    for (const field of policy.fields ?? []) {
      const value = signal.attributes[field];
      if (typeof value !== 'string') continue;
      const text = value.trim();
      if (text.length === 0 || text.length < (policy.minLength ?? 1)) {
        this.telemetry.embeddingSkipped('too_short');
        continue;
      }
      out.push({ signal, field, text, hash: embeddingContentHash(text) });
    }
    return out;
  }

  private async embedTenant(tenantId: string, all: readonly Candidate[]): Promise<number> {
    const space: EmbeddingSpace = { tenantId, provider: this.provider.name, model: this.provider.model };
    const done = await this.repository.existing(space, [...new Set(all.map((c) => c.signal.id))]);
    const todo = all.filter((c) => !done.has(`${c.signal.id}\u0000${c.field}`));
    if (todo.length === 0) return 0;

    const vectors = await this.repository.vectorsByHash(space, [...new Set(todo.map((c) => c.hash))]);
    const reused = todo.filter((c) => vectors.has(c.hash)).length;
    if (reused > 0) this.telemetry.embeddingSkipped('repeat', reused);
    // Distinct new texts, in order of first occurrence: a text repeated inside the batch is embedded once.
    const fresh = new Map<string, string>();
    for (const c of todo) if (!vectors.has(c.hash) && !fresh.has(c.hash)) fresh.set(c.hash, c.text);

    await this.embedWithinBudget(tenantId, fresh, vectors);

    const rows: EmbeddingRow[] = [];
    for (const c of todo) {
      const vector = vectors.get(c.hash);
      if (!vector) continue;
      rows.push({
        tenantId,
        signalId: c.signal.id,
        field: c.field,
        occurredAt: c.signal.timestamp,
        userId: c.signal.userId,
        schemaId: c.signal.schemaId,
        contentHash: c.hash,
        vector,
      });
    }
    const skippedForBudget = todo.length - rows.length;
    if (skippedForBudget > 0) {
      this.telemetry.embeddingSkipped('budget', skippedForBudget);
      this.logger.warn(`tenant ${tenantId}: ${skippedForBudget} texts not embedded, daily budget spent`);
    }
    return this.repository.insert(space.provider, space.model, rows);
  }

  /**
   * Calls the provider for `fresh` texts, a chunk at a time, while the tenant's UTC day has budget
   * left (reserved before each call); adds the vectors to `vectors`. The token limit is checked
   * before each call (a call's tokens are known only after it), so a day may overshoot it by one
   * chunk.
   */
  private async embedWithinBudget(
    tenantId: string,
    fresh: ReadonlyMap<string, string>,
    vectors: Map<string, Float32Array>,
  ): Promise<void> {
    const budget = this.options.settings.embeddings.dailyBudget;
    const day = this.clock.now().toISOString().slice(0, 10);
    const entries = [...fresh];
    for (let start = 0; start < entries.length;) {
      const wanted = Math.min(this.provider.maxBatchSize, entries.length - start);
      const granted = await this.repository.reserve(tenantId, day, wanted, budget.items, budget.tokens);
      if (granted === 0) return;
      const chunk = entries.slice(start, start + granted);
      start += granted;
      let result: EmbeddingResult;
      try {
        result = await this.provider.embed(chunk.map(([, text]) => text));
        if (
          result.vectors.length !== chunk.length ||
          result.vectors.some((v) => v.length !== this.provider.dimensions)
        ) {
          throw new Error(
            `embedding provider ${this.provider.name} returned vectors of the wrong count or length`,
          );
        }
      } catch (error) {
        // The batch is retried later: the items it reserved go back to the day's budget.
        await this.repository.addUsage(tenantId, day, 0, -chunk.length);
        throw error;
      }
      chunk.forEach(([hash], i) => vectors.set(hash, result.vectors[i]));
      await this.repository.addUsage(tenantId, day, result.tokens, 0);
      this.telemetry.embeddingsGenerated(
        this.provider.name,
        chunk.length,
        result.tokens,
        this.provider.costPer1kTokens === undefined
          ? undefined
          : (result.tokens / 1000) * this.provider.costPer1kTokens,
      );
    }
  }
}
