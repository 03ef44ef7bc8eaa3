import type { OverlayScope, OverlaySpec } from '../spec/overlay.types.js';

/** Who is looking at which capability; role, user and device are optional refinements. */
export interface OverlayResolveContext extends OverlayScope {
  readonly tenantId: string;
  readonly capability: string;
}

export type OverlayScopeLevel = 'tenant' | 'role' | 'user' | 'device';

export interface ResolvedOverlay {
  readonly overlayId: string;
  readonly version: number;
  /** Absent only for unsigned overlays accepted by a registry with requireSignature: false. */
  readonly keyId?: string;
  readonly signedAt?: string;
  readonly level: OverlayScopeLevel;
  /** Higher is more specific; see overlay-specificity.ts. */
  readonly specificity: number;
  readonly spec: OverlaySpec;
}
