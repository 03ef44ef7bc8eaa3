import type { ReactNode } from 'react';
import type { OverlayEngine } from '../engine/overlay-engine.js';
import { OverlayEngineContext } from './overlay-context.js';

export interface OverlayProviderProps {
  readonly engine: OverlayEngine;
  readonly children?: ReactNode;
}

/** Makes one engine (registry + audit) available to the overlay hooks below it. */
export function OverlayProvider({ engine, children }: OverlayProviderProps) {
  return <OverlayEngineContext.Provider value={engine}>{children}</OverlayEngineContext.Provider>;
}
