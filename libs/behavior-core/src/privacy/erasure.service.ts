import { Inject, Injectable } from '@nestjs/common';
import { JOB_RUNNER } from '../behavior-core.tokens.js';
import type { JobRunner } from '../contracts/job-runner.js';
import { ErasureRepository, type ErasureRecord, type SuppressionRecord } from './erasure.repository.js';
import { UserIdHasher } from './user-id.hasher.js';

/** The job that carries out erasures (and resumes them after a restart, on its schedule). */
export const ERASURE_JOB = 'privacy-erasure';

/** Requests and reads erasures and the suppression list; the work itself is ErasureJob's. */
@Injectable()
export class ErasureService {
  constructor(
    private readonly repository: ErasureRepository,
    private readonly hasher: UserIdHasher,
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
  ) {}

  /**
   * Suppresses the user and queues the erasure; resolves once both are committed, so any write
   * that begins after it sees the suppression. The job is started at once (and its schedule picks
   * the request up anyway when the runner loses it).
   */
  async requestUser(tenantId: string, userId: string, requestedBy: string): Promise<ErasureRecord> {
    const userHash = await this.hasher.hash(tenantId, userId);
    const erasure = await this.repository.requestUser(tenantId, userId, userHash, requestedBy);
    await this.start(erasure);
    return erasure;
  }

  async requestTenant(tenantId: string, requestedBy: string): Promise<ErasureRecord> {
    const erasure = await this.repository.requestTenant(tenantId, requestedBy);
    await this.start(erasure);
    return erasure;
  }

  get(id: string, tenantId?: string): Promise<ErasureRecord | null> {
    return this.repository.get(id, tenantId);
  }

  listSuppressions(tenantId: string, limit: number, after?: string): Promise<SuppressionRecord[]> {
    return this.repository.listSuppressions(tenantId, limit, after);
  }

  async liftSuppression(tenantId: string, userId: string): Promise<boolean> {
    return this.repository.liftSuppression(tenantId, await this.hasher.hash(tenantId, userId));
  }

  private async start(erasure: ErasureRecord): Promise<void> {
    // The payload names the request only: a job queue (Redis) never holds the user id.
    await this.runner
      .enqueue(ERASURE_JOB, { erasureId: erasure.id }, { tenantId: erasure.tenantId })
      .catch(() => undefined); // the row is committed; the scheduled run resumes it
  }
}
