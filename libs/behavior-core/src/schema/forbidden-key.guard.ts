import type { SignalValidationError } from '../contracts/signal-schema.js';
import { appendPathKey } from './attribute-path.format.js';
import { MAX_ATTRIBUTE_DEPTH } from './schema-naming.rules.js';

/**
 * Rejects `__proto__`, `constructor` and `prototype` as own keys anywhere in a
 * payload, and payloads nested deeper than MAX_ATTRIBUTE_DEPTH. JSON.parse
 * creates `__proto__` as a plain own property, which a later spread or merge
 * could turn into prototype pollution, so own keys are checked, not `in`.
 *
 * The clean case (nearly every signal) walks once and allocates nothing; paths
 * are only built in a second walk when something was found.
 */
export function findForbiddenKeys(attributes: unknown): SignalValidationError[] | undefined {
  if (!isSuspicious(attributes, 0)) return undefined;
  const errors: SignalValidationError[] = [];
  collect(attributes, 'attributes', 0, errors);
  return errors;
}

function isForbidden(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

function isSuspicious(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= MAX_ATTRIBUTE_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (isSuspicious(value[index], depth + 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (isForbidden(key)) return true;
    if (isSuspicious((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function collect(value: unknown, path: string, depth: number, errors: SignalValidationError[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_ATTRIBUTE_DEPTH) {
    errors.push({ path, code: 'max_depth', message: `nesting deeper than ${MAX_ATTRIBUTE_DEPTH} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${path}[${index}]`, depth + 1, errors));
    return;
  }
  for (const key of Object.keys(value)) {
    const childPath = appendPathKey(path, key);
    if (isForbidden(key)) {
      errors.push({ path: childPath, code: 'forbidden_key', message: `the key "${key}" is not allowed` });
      continue;
    }
    collect((value as Record<string, unknown>)[key], childPath, depth + 1, errors);
  }
}
