import type { OverlayScope } from '../spec/overlay.types.js';

/** One overlay applied once: the row an audit table stores. */
export interface OverlayAuditRecord {
  readonly overlayId: string;
  readonly version: number;
  /** Absent for unsigned overlays (only possible when signatures are not required). */
  readonly keyId?: string;
  readonly tenantId: string;
  readonly capability: string;
  /** The request context the overlay was applied for. */
  readonly context: OverlayScope;
  readonly appliedAt: Date;
}

/**
 * Receives audit records. The engine calls `write` on its hot path and never awaits it, so
 * implementations that do I/O should buffer (see BatchingAuditSink) and report failures
 * themselves; a returned promise that rejects is routed to the engine's onAuditError.
 */
export interface OverlayAuditSink {
  write(records: readonly OverlayAuditRecord[]): void | Promise<void>;
  flush?(): Promise<void>;
  close?(): Promise<void>;
}
