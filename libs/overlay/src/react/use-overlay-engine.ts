import { useContext, useSyncExternalStore } from 'react';
import type { OverlayEngine } from '../engine/overlay-engine.js';
import { OverlayEngineContext } from './overlay-context.js';

interface Observable {
  readonly revision: number;
  subscribe(listener: () => void): () => void;
}

const staticStore = { subscribe: () => () => {}, revision: 0 };

function observable(registry: unknown): Observable {
  const candidate = registry as Partial<Observable>;
  return typeof candidate.subscribe === 'function' && typeof candidate.revision === 'number'
    ? (candidate as Observable)
    : staticStore;
}

/**
 * The engine from the nearest OverlayProvider plus the registry revision, so hooks recompute
 * when overlays are registered or removed (e.g. after the editor signs a new version).
 */
export function useOverlayEngine(): { engine: OverlayEngine; revision: number } {
  const engine = useContext(OverlayEngineContext);
  if (!engine) throw new Error('useOverlay/useOverlayFields must be used inside an <OverlayProvider>');
  const store = observable(engine.registry);
  const revision = useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.revision,
    () => store.revision,
  );
  return { engine, revision };
}
