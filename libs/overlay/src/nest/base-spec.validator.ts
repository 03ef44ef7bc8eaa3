import type { BaseSpec } from '../engine/overlay-engine.types.js';
import type { ErrorDetail } from '@lssm/nest-common';

const MAX_FIELDS = 1000;

/**
 * The engine trusts its base spec (it is the app's own code in-process); over HTTP it is input,
 * so check the shape the engine relies on: a capability, fields with unique string names and
 * string labels. Other field properties are carried through untouched, as in the core.
 */
export function validateBaseSpec(value: unknown, path = 'baseSpec'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const fail = (at: string, code: string, message: string) => errors.push({ path: at, code, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'type', 'must be an object { capability, fields }');
    return errors;
  }
  const spec = value as Record<string, unknown>;
  if (typeof spec.capability !== 'string' || spec.capability.length === 0)
    fail(`${path}.capability`, 'required', 'must be a non-empty string');
  if (!Array.isArray(spec.fields)) {
    fail(`${path}.fields`, 'type', 'must be an array of fields');
    return errors;
  }
  if (spec.fields.length > MAX_FIELDS) fail(`${path}.fields`, 'max_items', `at most ${MAX_FIELDS} fields`);
  const seen = new Set<string>();
  spec.fields.forEach((field, i) => {
    const at = `${path}.fields.${i}`;
    if (typeof field !== 'object' || field === null || Array.isArray(field)) {
      fail(at, 'type', 'must be an object { name, label }');
      return;
    }
    const f = field as Record<string, unknown>;
    if (typeof f.name !== 'string' || f.name.length === 0)
      fail(`${at}.name`, 'required', 'must be a non-empty string');
    else if (seen.has(f.name)) fail(`${at}.name`, 'duplicate', `field "${f.name}" appears twice`);
    else seen.add(f.name);
    if (typeof f.label !== 'string') fail(`${at}.label`, 'required', 'must be a string');
    for (const flag of ['hidden', 'readOnly'] as const) {
      if (f[flag] !== undefined && typeof f[flag] !== 'boolean')
        fail(`${at}.${flag}`, 'type', 'must be a boolean');
    }
  });
  return errors;
}

export const isBaseSpec = (value: unknown): value is BaseSpec => validateBaseSpec(value).length === 0;
