import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { ScheduledTask } from '../contracts/job-runner.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from '../jobs/behavior-job.decorators.js';
import { ErasureHookRegistry } from './erasure-hook.registry.js';
import { ErasureRepository, TENANT_STEPS, USER_STEPS, type ClaimedErasure } from './erasure.repository.js';
import { ERASURE_JOB } from './erasure.service.js';
import { UserIdHasher } from './user-id.hasher.js';

/** Attempts before an erasure is marked failed (each run resumes where the last stopped). */
const MAX_ATTEMPTS = 5;
/** How long an erasure waits for ingestion writes that began before its suppression. */
const EARLIER_WRITES_WAIT_MS = 30_000;
/**
 * A tenant deletion starts this long after its request: API processes cache keys for 5 s
 * (ApiKeyAuthenticator), so one may still accept a revoked key's signals until then; deleting
 * after that (and after the writes then running) leaves nothing behind.
 */
export const TENANT_SETTLE_MS = 10_000;

export interface ErasureRunResult {
  erasures: { id: string; kind: string; status: 'completed' | 'retrying'; counts: Record<string, number> }[];
}

/**
 * Carries out erasure requests from behavior_erasures: hooks first (add-ons' own data), then
 * core's tables in chunks, each chunk and its count in one transaction, so a restart resumes with
 * exact counts. Runs when a request is made and on `ai.behavior.privacy.erasure.schedule`, which
 * picks up queued requests and ones whose worker died (lease expired).
 */
@BehaviorScheduledTasks()
@Injectable()
export class ErasureJob implements ScheduledTaskSource {
  private readonly logger = new Logger('ErasureJob');
  private readonly repository: ErasureRepository;

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    private readonly hooks: ErasureHookRegistry,
    private readonly hasher: UserIdHasher,
  ) {
    this.repository = new ErasureRepository(db.background);
  }

  scheduledTasks(): ScheduledTask[] {
    return [
      {
        id: ERASURE_JOB,
        cron: this.options.settings.privacy.erasure.schedule,
        handler: ERASURE_JOB,
        description: 'Carries out queued user erasures and tenant deletions; resumes interrupted ones',
      },
    ];
  }

  @BehaviorJobHandler(ERASURE_JOB)
  async run(payload: Record<string, unknown>): Promise<ErasureRunResult> {
    const only = typeof payload.erasureId === 'string' ? payload.erasureId : null;
    const done: ErasureRunResult['erasures'] = [];
    for (let claimed = await this.repository.claim(only); claimed;) {
      done.push(await this.erase(claimed));
      claimed = only ? null : await this.repository.claim(null);
    }
    return { erasures: done };
  }

  private async erase(erasure: ClaimedErasure): Promise<ErasureRunResult['erasures'][number]> {
    const counts: Record<string, number> = {};
    const add = (name: string, n: number) => (counts[name] = (counts[name] ?? 0) + n);
    try {
      if (erasure.kind === 'tenant' && erasure.ageMs < TENANT_SETTLE_MS)
        await new Promise((resolve) => setTimeout(resolve, TENANT_SETTLE_MS - erasure.ageMs));
      await this.waitForEarlierWrites(erasure);
      await this.runHooks(erasure, 'before-core', add);
      const chunk = this.options.settings.privacy.erasure.chunkSize;
      // A user's rows, and those stored under their pseudonym while they were suppressed
      // (pseudonymize mode): pseudonymous data of a known person is still theirs.
      const runs: unknown[][] =
        erasure.kind === 'user'
          ? [erasure.userId!, await this.hasher.pseudonym(erasure.tenantId, erasure.userId!)].map((id) => [
              erasure.tenantId,
              id,
              chunk,
              JSON.stringify(id),
              escapedInJson(id),
            ])
          : [[erasure.tenantId, chunk]];
      const steps = erasure.kind === 'user' ? USER_STEPS : TENANT_STEPS;
      for (const params of runs) {
        for (const { table, sql } of steps) {
          for (;;) {
            const { n, extra } = await this.repository.eraseChunk(
              erasure.id,
              table,
              sql,
              params.slice(0, arity(sql)),
            );
            add(table, n);
            for (const [k, v] of Object.entries(extra)) add(k, v);
            if (n < chunk) break;
          }
          // What consumers derive from signals (metrics, alerts) may be written by a transaction
          // that read them before they went: let those end before deleting what they write.
          if (table === 'behavior_signals') await this.waitForEarlierWrites(erasure);
        }
      }
      await this.runHooks(erasure, 'after-core', add);
      await this.repository.complete(erasure.id);
      return { id: erasure.id, kind: erasure.kind, status: 'completed', counts };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`erasure ${erasure.id} (${erasure.kind}) failed: ${message}`);
      await this.repository.fail(erasure.id, message, MAX_ATTEMPTS);
      return { id: erasure.id, kind: erasure.kind, status: 'retrying', counts };
    }
  }

  private async waitForEarlierWrites(erasure: ClaimedErasure): Promise<void> {
    if (!(await this.repository.waitForEarlierWrites(EARLIER_WRITES_WAIT_MS)))
      this.logger.warn(`erasure ${erasure.id}: older transactions still run after 30 s; erasing anyway`);
  }

  private async runHooks(
    erasure: ClaimedErasure,
    phase: 'before-core' | 'after-core',
    add: (name: string, n: number) => void,
  ): Promise<void> {
    for (const hook of this.hooks.all()) {
      if ((hook.phase ?? 'before-core') !== phase) continue;
      const n =
        erasure.kind === 'user'
          ? await hook.eraseUser(
              { erasureId: erasure.id, tenantId: erasure.tenantId, userId: erasure.userId! },
              this.db.background,
            )
          : await hook.eraseTenant({ erasureId: erasure.id, tenantId: erasure.tenantId }, this.db.background);
      add(`hook:${hook.name}`, n);
      await this.repository.addCounts(erasure.id, { [`hook:${hook.name}`]: n });
    }
  }
}

/** The highest placeholder a statement uses: PostgreSQL refuses more parameters than it names. */
function arity(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

/** The id as it reads inside a JSON string that itself holds JSON (a truncated payload preview). */
function escapedInJson(userId: string): string {
  const quoted = JSON.stringify(userId);
  return JSON.stringify(quoted).slice(1, -1);
}
