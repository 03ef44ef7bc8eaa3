import type { ResolvedOverlay } from '../registry/overlay-registry.types.js';
import type { JsonValue } from '../spec/overlay.types.js';
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

type MutableProvenance = { [P in OverlaidProperty]?: PropertyProvenance };

/**
 * Applies overlays in the given order (least specific first) so a later, more specific
 * overlay overwrites what an earlier one set; provenance therefore names the winner.
 * Pure: no registry, no audit. Written with index arrays because it runs on every render.
 */
export function mergeOverlays(base: BaseSpec, overlays: readonly ResolvedOverlay[]): OverlayApplyResult {
  const baseFields = base.fields;
  const n = baseFields.length;
  const index = fieldIndex(base);
  const hidden = new Array<boolean>(n);
  const label = new Array<string>(n);
  const readOnly = new Array<boolean>(n);
  const defaults = new Array<unknown>(n);
  const hasDefault = new Array<boolean>(n);
  const provenance = new Array<MutableProvenance>(n);
  let order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const field = baseFields[i]!;
    hidden[i] = field.hidden === true;
    label[i] = field.label;
    readOnly[i] = field.readOnly === true;
    hasDefault[i] = 'defaultValue' in field;
    defaults[i] = field.defaultValue;
    provenance[i] = {};
    order[i] = i;
  }

  const applied: AppliedOverlay[] = [];
  const warnings: OverlayWarning[] = [];

  for (const overlay of overlays) {
    const info: AppliedOverlay =
      overlay.keyId === undefined
        ? { overlayId: overlay.overlayId, version: overlay.version, level: overlay.level }
        : { overlayId: overlay.overlayId, version: overlay.version, keyId: overlay.keyId, level: overlay.level };
    applied.push(info);
    const operations = overlay.spec.operations;
    for (let op = 0; op < operations.length; op++) {
      const operation = operations[op]!;
      const origin = (): PropertyProvenance => ({ ...info, operationIndex: op });
      const unknown = (field: string) =>
        warnings.push({
          code: 'unknown_field',
          overlayId: overlay.overlayId,
          version: overlay.version,
          operationIndex: op,
          operation: operation.type,
          field,
        });

      if (operation.type === 'reorderFields') {
        const named: number[] = [];
        const placed = new Uint8Array(n);
        const stamp = origin();
        for (const name of operation.fields) {
          const i = index.get(name);
          if (i === undefined) {
            unknown(name);
            continue;
          }
          named.push(i);
          placed[i] = 1;
          provenance[i]!.order = stamp;
        }
        // Unnamed fields keep the order earlier overlays gave them (the base order if none did).
        for (const i of order) if (placed[i] === 0) named.push(i);
        order = named;
        continue;
      }

      const i = index.get(operation.field);
      if (i === undefined) {
        unknown(operation.field);
        continue;
      }
      switch (operation.type) {
        case 'hideField':
        case 'showField':
          hidden[i] = operation.type === 'hideField';
          provenance[i]!.hidden = origin();
          break;
        case 'renameLabel':
          label[i] = operation.label;
          provenance[i]!.label = origin();
          break;
        case 'setReadOnly':
          readOnly[i] = operation.readOnly;
          provenance[i]!.readOnly = origin();
          break;
        case 'setDefault':
          defaults[i] = operation.value as JsonValue;
          hasDefault[i] = true;
          provenance[i]!.defaultValue = origin();
          break;
      }
    }
  }

  const fields = new Array<OverlaidField>(n);
  const byName: { [field: string]: FieldProvenance } = {};
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const field = baseFields[i]!;
    fields[k] = hasDefault[i]
      ? { ...field, label: label[i]!, hidden: hidden[i]!, readOnly: readOnly[i]!, defaultValue: defaults[i] }
      : { ...field, label: label[i]!, hidden: hidden[i]!, readOnly: readOnly[i]! };
    byName[field.name] = provenance[i]!;
  }
  return { spec: { ...base, fields }, applied, provenance: byName, warnings };
}
