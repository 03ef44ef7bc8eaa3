/**
 * Naming rules shared by the doctor and the validator. Ids are namespaced
 * (`content.view`) so add-ons cannot collide with the core by accident.
 */
export const SCHEMA_ID_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
export const SCHEMA_ID_MAX_LENGTH = 128;
export const DOMAIN_PATTERN = /^[a-z][a-z0-9_-]*$/;
export const METRIC_KEY_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
/** Plain identifiers only: attribute names become JSON keys, query filters (`attr.<name>`) and SQL paths. */
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Keys that could reach an object's prototype when a payload is merged or copied. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting limit for attribute payloads, so a hostile deep document cannot exhaust the stack. */
export const MAX_ATTRIBUTE_DEPTH = 32;

export function schemaKey(id: string, version: number): string {
  return `${id}@${version}`;
}
