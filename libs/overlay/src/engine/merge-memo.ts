import type { ResolvedOverlay } from '../registry/overlay-registry.types.js';
import type { BaseSpec, OverlayApplyResult } from './overlay-engine.types.js';

interface Node {
  result?: OverlayApplyResult;
  next?: WeakMap<ResolvedOverlay, Node>;
}

/**
 * Remembers merge results per (deep-frozen base spec, exact overlay entries). Both inputs are
 * immutable (registry entries are frozen and replaced, never edited, on a new version), so the
 * merge is a pure function of their identities. Keys are object identities in WeakMaps: an
 * unregistered overlay or a dropped base spec frees its results without any eviction logic.
 */
export class MergeMemo {
  private readonly roots = new WeakMap<BaseSpec, Node>();

  get(base: BaseSpec, overlays: readonly ResolvedOverlay[]): OverlayApplyResult | undefined {
    let node = this.roots.get(base);
    for (let i = 0; node && i < overlays.length; i++) node = node.next?.get(overlays[i]!);
    return node?.result;
  }

  set(base: BaseSpec, overlays: readonly ResolvedOverlay[], result: OverlayApplyResult): void {
    // Only a frozen base spec (and field list, and fields) cannot change under a cached result.
    if (
      !Object.isFrozen(base) ||
      !Object.isFrozen(base.fields) ||
      !base.fields.every((f) => Object.isFrozen(f))
    )
      return;
    let node = this.roots.get(base);
    if (!node) this.roots.set(base, (node = {}));
    for (const overlay of overlays) {
      node.next ??= new WeakMap();
      let child = node.next.get(overlay);
      if (!child) node.next.set(overlay, (child = {}));
      node = child;
    }
    node.result = result;
  }
}
