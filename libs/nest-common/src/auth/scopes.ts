// `overlay:resolve` answers overlay resolution and nothing else: what a browser needs to render
// its overlays, without `read`, which would let the page read every user's signals.
export const SCOPES = ['ingest', 'read', 'admin', 'overlay:resolve'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
