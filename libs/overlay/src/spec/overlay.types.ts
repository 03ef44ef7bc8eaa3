/** A JSON value as it can appear in a signed overlay (setDefault values, metadata). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface OverlayScope {
  readonly role?: string;
  readonly userId?: string;
  readonly device?: string;
}

export interface HideFieldOperation {
  readonly type: 'hideField';
  readonly field: string;
}

export interface ShowFieldOperation {
  readonly type: 'showField';
  readonly field: string;
}

export interface RenameLabelOperation {
  readonly type: 'renameLabel';
  readonly field: string;
  readonly label: string;
}

/** Named fields come first in this order; the others follow in their current order. */
export interface ReorderFieldsOperation {
  readonly type: 'reorderFields';
  readonly fields: readonly string[];
}

export interface SetDefaultOperation {
  readonly type: 'setDefault';
  readonly field: string;
  readonly value: JsonValue;
}

export interface SetReadOnlyOperation {
  readonly type: 'setReadOnly';
  readonly field: string;
  readonly readOnly: boolean;
}

export type OverlayOperation =
  | HideFieldOperation
  | ShowFieldOperation
  | RenameLabelOperation
  | ReorderFieldsOperation
  | SetDefaultOperation
  | SetReadOnlyOperation;

export type OverlayOperationType = OverlayOperation['type'];

export interface OverlaySpec {
  readonly overlayId: string;
  /** Positive integer; a higher version of the same overlayId supersedes the lower ones. */
  readonly version: number;
  readonly tenantId: string;
  readonly capability: string;
  readonly scope: OverlayScope;
  readonly operations: readonly OverlayOperation[];
  readonly metadata?: { readonly [key: string]: JsonValue };
}
