import type { OverlayScope } from '../spec/overlay.types.js';
import type { OverlayResolveContext, OverlayScopeLevel, ResolvedOverlay } from './overlay-registry.types.js';

/*
 * Specificity is a bit mask (role 1, user 2, device 4) so the single levels order as
 * tenant < role < user < device, and a combined scope (role + device) ranks above each of
 * its parts: it matched more of the request, so it is the more specific intent.
 */
const ROLE = 1;
const USER = 2;
const DEVICE = 4;

export function specificityOf(scope: OverlayScope): number {
  return (
    (scope.role !== undefined ? ROLE : 0) |
    (scope.userId !== undefined ? USER : 0) |
    (scope.device !== undefined ? DEVICE : 0)
  );
}

export function levelOf(specificity: number): OverlayScopeLevel {
  if (specificity & DEVICE) return 'device';
  if (specificity & USER) return 'user';
  if (specificity & ROLE) return 'role';
  return 'tenant';
}

/** Ascending: least specific first, so applying in order lets the more specific overlay win. */
export function compareBySpecificity(a: ResolvedOverlay, b: ResolvedOverlay): number {
  if (a.specificity !== b.specificity) return a.specificity - b.specificity;
  if (a.version !== b.version) return a.version - b.version;
  // Code-unit comparison (not localeCompare) so the order is the same on every runtime.
  return a.overlayId < b.overlayId ? -1 : a.overlayId > b.overlayId ? 1 : 0;
}

/** Every scope attribute the overlay sets must equal the request's; unset attributes match anything. */
export function scopeMatches(scope: OverlayScope, context: OverlayResolveContext): boolean {
  return (
    (scope.role === undefined || scope.role === context.role) &&
    (scope.userId === undefined || scope.userId === context.userId) &&
    (scope.device === undefined || scope.device === context.device)
  );
}
