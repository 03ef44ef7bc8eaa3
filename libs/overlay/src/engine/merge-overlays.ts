import type { ResolvedOverlay } from '../registry/overlay-registry.types.js';
import { fieldIndex } from './field-index.js';
import type {
  AppliedOverlay,
  BaseSpec,
  FieldProvenance,
  OverlaidField,
  OverlaidProperty,
  OverlayApplyResult,
  OverlayWarning,
  PropertyProvenance,
} from './overlay-engine.types.js';

const PROPERTIES: readonly OverlaidProperty[] = ['hidden', 'label', 'readOnly', 'defaultValue', 'order'];
const HIDDEN = 0;
const LABEL = 1;
const READ_ONLY = 2;
const DEFAULT = 3;
const ORDER = 4;
const SLOTS = PROPERTIES.length;

/**
 * Applies overlays in the given order (least specific first) so a later, more specific
 * overlay overwrites what an earlier one set; provenance therefore names the winner.
 * Pure: no registry, no audit.
 *
 * It runs on every render, so it works on index arrays and records provenance as packed
 * (overlay, operation) numbers; the name-keyed provenance object is only built when read.
 */
export function mergeOverlays(base: BaseSpec, overlays: readonly ResolvedOverlay[]): OverlayApplyResult {
  // Provenance packs the overlay position into 15 bits; no real request comes near this.
  if (overlays.length > 0x7fff) throw new RangeError('too many overlays for one apply');
  const baseFields = base.fields;
  const n = baseFields.length;
  const index = fieldIndex(base);
  const hidden = new Array<boolean>(n);
  const label = new Array<string>(n);
  const readOnly = new Array<boolean>(n);
  const defaults = new Array<unknown>(n);
  const hasDefault = new Array<boolean>(n);
  // origin[i * SLOTS + property] = (overlay position << 16 | operation index) + 1; 0 = base value.
  const origin = new Int32Array(n * SLOTS);
  let order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const field = baseFields[i]!;
    hidden[i] = field.hidden === true;
    label[i] = field.label;
    readOnly[i] = field.readOnly === true;
    hasDefault[i] = field.defaultValue !== undefined || 'defaultValue' in field;
    defaults[i] = field.defaultValue;
    order[i] = i;
  }

  const applied = new Array<AppliedOverlay>(overlays.length);
  let warnings: OverlayWarning[] | undefined;
  const warn = (o: number, op: number, field: string) => {
    const overlay = overlays[o]!;
    (warnings ??= []).push({
      code: 'unknown_field',
      overlayId: overlay.overlayId,
      version: overlay.version,
      operationIndex: op,
      operation: overlay.spec.operations[op]!.type,
      field,
    });
  };

  for (let o = 0; o < overlays.length; o++) {
    const overlay = overlays[o]!;
    applied[o] =
      overlay.keyId === undefined
        ? { overlayId: overlay.overlayId, version: overlay.version, level: overlay.level }
        : {
            overlayId: overlay.overlayId,
            version: overlay.version,
            keyId: overlay.keyId,
            level: overlay.level,
          };
    const operations = overlay.spec.operations;
    for (let op = 0; op < operations.length; op++) {
      const operation = operations[op]!;
      const stamp = ((o << 16) | op) + 1;

      if (operation.type === 'reorderFields') {
        const named: number[] = [];
        const placed = new Uint8Array(n);
        for (const name of operation.fields) {
          const i = index.get(name);
          if (i === undefined) {
            warn(o, op, name);
            continue;
          }
          named.push(i);
          placed[i] = 1;
          origin[i * SLOTS + ORDER] = stamp;
        }
        // Unnamed fields keep the order earlier overlays gave them (the base order if none did).
        for (let k = 0; k < n; k++) if (placed[order[k]!] === 0) named.push(order[k]!);
        order = named;
        continue;
      }

      const i = index.get(operation.field);
      if (i === undefined) {
        warn(o, op, operation.field);
        continue;
      }
      switch (operation.type) {
        case 'hideField':
          hidden[i] = true;
          origin[i * SLOTS + HIDDEN] = stamp;
          break;
        case 'showField':
          hidden[i] = false;
          origin[i * SLOTS + HIDDEN] = stamp;
          break;
        case 'renameLabel':
          label[i] = operation.label;
          origin[i * SLOTS + LABEL] = stamp;
          break;
        case 'setReadOnly':
          readOnly[i] = operation.readOnly;
          origin[i * SLOTS + READ_ONLY] = stamp;
          break;
        case 'setDefault':
          defaults[i] = operation.value;
          hasDefault[i] = true;
          origin[i * SLOTS + DEFAULT] = stamp;
          break;
      }
    }
  }

  const fields = new Array<OverlaidField>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const field = baseFields[i]!;
    fields[k] = hasDefault[i]
      ? { ...field, label: label[i]!, hidden: hidden[i]!, readOnly: readOnly[i]!, defaultValue: defaults[i] }
      : { ...field, label: label[i]!, hidden: hidden[i]!, readOnly: readOnly[i]! };
  }

  let provenance: { [field: string]: FieldProvenance } | undefined;
  return {
    spec: { ...base, fields },
    applied,
    // An own enumerable getter: JSON.stringify and spreading still see it, renders that never
    // read provenance don't pay for a 50-key object per apply.
    get provenance() {
      return (provenance ??= buildProvenance(baseFields, origin, applied));
    },
    warnings: warnings ?? [],
  };
}

function buildProvenance(
  baseFields: BaseSpec['fields'],
  origin: Int32Array,
  applied: readonly AppliedOverlay[],
): { [field: string]: FieldProvenance } {
  const result: { [field: string]: FieldProvenance } = {};
  for (let i = 0; i < baseFields.length; i++) {
    const entry: { [P in OverlaidProperty]?: PropertyProvenance } = {};
    for (let p = 0; p < SLOTS; p++) {
      const stamp = origin[i * SLOTS + p]!;
      if (stamp === 0) continue;
      entry[PROPERTIES[p]!] = { ...applied[(stamp - 1) >> 16]!, operationIndex: (stamp - 1) & 0xffff };
    }
    result[baseFields[i]!.name] = entry;
  }
  return result;
}
