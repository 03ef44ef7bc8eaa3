import { createContext } from 'react';
import type { OverlayEngine } from '../engine/overlay-engine.js';

export const OverlayEngineContext = createContext<OverlayEngine | null>(null);
