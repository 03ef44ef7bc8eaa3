import type { OverlayOperationType, OverlayScope } from '../spec/overlay.types.js';
import type { OverlayScopeLevel } from '../registry/overlay-registry.types.js';

/** A field as the app renders it without overlays. Extra properties are carried through untouched. */
export interface BaseField {
  readonly name: string;
  readonly label: string;
  readonly type?: string;
  readonly hidden?: boolean;
  readonly readOnly?: boolean;
  readonly defaultValue?: unknown;
  readonly [extra: string]: unknown;
}

/** What an app renders for one capability; fields in display order. */
export interface BaseSpec {
  readonly capability: string;
  readonly fields: readonly BaseField[];
  readonly [extra: string]: unknown;
}

export interface OverlaidField extends BaseField {
  readonly hidden: boolean;
  readonly readOnly: boolean;
}

export interface OverlaidSpec extends BaseSpec {
  readonly fields: readonly OverlaidField[];
}

/** The request an overlay is applied for; capability comes from the base spec. */
export interface OverlayApplyContext extends OverlayScope {
  readonly tenantId: string;
}

export interface AppliedOverlay {
  readonly overlayId: string;
  readonly version: number;
  readonly keyId?: string;
  readonly level: OverlayScopeLevel;
}

export type OverlaidProperty = 'hidden' | 'label' | 'readOnly' | 'defaultValue' | 'order';

/** Which overlay operation last set a property (the one that won). */
export interface PropertyProvenance extends AppliedOverlay {
  readonly operationIndex: number;
}

export type FieldProvenance = { readonly [P in OverlaidProperty]?: PropertyProvenance };

export interface OverlayWarning {
  readonly code: 'unknown_field';
  readonly overlayId: string;
  readonly version: number;
  readonly operationIndex: number;
  readonly operation: OverlayOperationType;
  readonly field: string;
}

export interface OverlayApplyResult {
  readonly spec: OverlaidSpec;
  /** Overlays in the order they were applied (least specific first). */
  readonly applied: readonly AppliedOverlay[];
  /** One entry per base field (empty when no overlay touched it). */
  readonly provenance: { readonly [field: string]: FieldProvenance };
  /** Operations that named fields the base spec lacks; reported, never thrown. */
  readonly warnings: readonly OverlayWarning[];
}
