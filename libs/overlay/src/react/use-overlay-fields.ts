import { useMemo } from 'react';
import type {
  BaseSpec,
  OverlaidField,
  OverlayApplyContext,
  OverlayApplyResult,
} from '../engine/overlay-engine.types.js';
import { useOverlay } from './use-overlay.js';

export interface UseOverlayFieldsOptions {
  /** Also return hidden fields (e.g. for an editor); default false. */
  readonly includeHidden?: boolean;
}

export interface UseOverlayFieldsResult {
  /** Fields to render, in overlay order. */
  readonly fields: readonly OverlaidField[];
  readonly result: OverlayApplyResult;
}

/**
 * The base spec's fields after the overlays that apply to the context. Recomputed (and audited)
 * only when the base spec, the context values or the registry change, not on every render.
 */
export function useOverlayFields(
  base: BaseSpec,
  context: OverlayApplyContext,
  options: UseOverlayFieldsOptions = {},
): UseOverlayFieldsResult {
  const { apply } = useOverlay(base.capability, context);
  const includeHidden = options.includeHidden ?? false;
  return useMemo(() => {
    const result = apply(base);
    const fields = includeHidden ? result.spec.fields : result.spec.fields.filter((f) => !f.hidden);
    return { fields, result };
  }, [apply, base, includeHidden]);
}
