import { useMemo } from 'react';
import type { BaseSpec, OverlayApplyContext, OverlayApplyResult } from '../engine/overlay-engine.types.js';
import type { ResolvedOverlay } from '../registry/overlay-registry.types.js';
import { useOverlayEngine } from './use-overlay-engine.js';

export interface UseOverlayResult {
  /** The overlays that apply, least specific first. */
  readonly overlays: readonly ResolvedOverlay[];
  /** Applies exactly these overlays to a base spec of the same capability (audited). */
  readonly apply: (base: BaseSpec) => OverlayApplyResult;
}

/** Resolves the overlays of one capability for the given tenant/role/user/device. */
export function useOverlay(capability: string, context: OverlayApplyContext): UseOverlayResult {
  const { engine, revision } = useOverlayEngine();
  const { tenantId, role, userId, device } = context;
  return useMemo(() => {
    const scoped: OverlayApplyContext = { tenantId, role, userId, device };
    const overlays = engine.registry.resolve({ ...scoped, capability });
    return { overlays, apply: (base: BaseSpec) => engine.applyResolved(base, scoped, overlays) };
    // Context fields are listed one by one so a new but equal context object does not recompute.
  }, [engine, revision, capability, tenantId, role, userId, device]);
}
