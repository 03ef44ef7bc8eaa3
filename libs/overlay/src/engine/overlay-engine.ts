import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';
import type { OverlayRegistry } from '../registry/overlay-registry.js';
import type { ResolvedOverlay } from '../registry/overlay-registry.types.js';
import type { OverlayScope } from '../spec/overlay.types.js';
import { freezeResult } from './freeze-result.js';
import { MergeMemo } from './merge-memo.js';
import { mergeOverlays } from './merge-overlays.js';
import type { BaseSpec, OverlayApplyContext, OverlayApplyResult } from './overlay-engine.types.js';

export interface OverlayEngineOptions {
  readonly registry: Pick<OverlayRegistry, 'resolve'>;
  /** Receives one record per applied overlay per apply(); wrap I/O sinks in BatchingAuditSink. */
  readonly audit?: OverlayAuditSink;
  /** Where a rejected audit write ends up; defaults to console.error so it is never silent. */
  readonly onAuditError?: (error: unknown) => void;
  readonly now?: () => Date;
  /**
   * Reuse the merged result for the same frozen base spec and the same registry entries
   * (default true). Results are then frozen and shared; auditing still happens per apply.
   */
  readonly memoize?: boolean;
}

/** Resolves the overlays for a request, merges them into a base spec and audits what ran. */
export class OverlayEngine {
  readonly registry: Pick<OverlayRegistry, 'resolve'>;
  private readonly audit?: OverlayAuditSink;
  private readonly onAuditError: (error: unknown) => void;
  private readonly now: () => Date;
  private readonly memo?: MergeMemo;

  constructor(options: OverlayEngineOptions) {
    this.registry = options.registry;
    this.audit = options.audit;
    this.onAuditError =
      options.onAuditError ?? ((error) => console.error('overlay audit write failed', error));
    this.now = options.now ?? (() => new Date());
    if (options.memoize ?? true) this.memo = new MergeMemo();
  }

  apply(base: BaseSpec, context: OverlayApplyContext): OverlayApplyResult {
    const overlays = this.registry.resolve({
      tenantId: context.tenantId,
      capability: base.capability,
      role: context.role,
      userId: context.userId,
      device: context.device,
    });
    return this.applyResolved(base, context, overlays);
  }

  /**
   * Applies overlays resolved earlier (e.g. once per render in a UI). They must belong to the
   * context's tenant and the base spec's capability: mixing tenants is a bug, so it throws.
   */
  applyResolved(
    base: BaseSpec,
    context: OverlayApplyContext,
    overlays: readonly ResolvedOverlay[],
  ): OverlayApplyResult {
    for (const overlay of overlays) {
      if (overlay.spec.tenantId !== context.tenantId || overlay.spec.capability !== base.capability) {
        throw new TypeError(
          `overlay ${overlay.overlayId} belongs to ${overlay.spec.tenantId}/${overlay.spec.capability}, not ${context.tenantId}/${base.capability}`,
        );
      }
    }
    let result = this.memo?.get(base, overlays);
    if (!result) {
      result = freezeResult(mergeOverlays(base, overlays));
      this.memo?.set(base, overlays, result);
    }
    if (this.audit && result.applied.length > 0) this.record(base.capability, context, result);
    return result;
  }

  private record(capability: string, context: OverlayApplyContext, result: OverlayApplyResult): void {
    const appliedAt = this.now();
    const scope: OverlayScope = {
      ...(context.role !== undefined && { role: context.role }),
      ...(context.userId !== undefined && { userId: context.userId }),
      ...(context.device !== undefined && { device: context.device }),
    };
    const records: OverlayAuditRecord[] = result.applied.map((a) => ({
      overlayId: a.overlayId,
      version: a.version,
      ...(a.keyId !== undefined && { keyId: a.keyId }),
      tenantId: context.tenantId,
      capability,
      context: scope,
      appliedAt,
    }));
    try {
      const pending = this.audit!.write(records);
      if (pending) pending.catch(this.onAuditError);
    } catch (error) {
      // Auditing must not break rendering; the failure is reported, the result still returned.
      this.onAuditError(error);
    }
  }
}
