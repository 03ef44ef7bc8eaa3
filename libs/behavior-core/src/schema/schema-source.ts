import { resolve } from 'node:path';
import type { BehaviorAddOn } from '../contracts/behavior-add-on.js';
import type { BehaviorSettings } from '../contracts/behavior-core-options.js';
import { STARTER_SCHEMA_DIR } from './starter-schema-dir.js';

/** One directory of schema files and where it comes from (named in start-up logs and doctor output). */
export interface SchemaSource {
  /** `starter`, `add-on <name>` or `config`. */
  readonly origin: string;
  /** Absolute. */
  readonly dir: string;
}

/**
 * The layers the registry is built from, in order: the starter set (unless switched off), each
 * enabled add-on's directories, then the configured ones. Layers add to each other; the same
 * id and version in two layers is an error (a changed shape needs a new version), so a user's
 * directory never silently replaces a shipped schema.
 */
export function schemaSources(
  settings: Pick<BehaviorSettings, 'schemas'>,
  addOns: readonly Pick<BehaviorAddOn, 'name' | 'schemaDirs'>[] = [],
): SchemaSource[] {
  return [
    ...(settings.schemas.starter ? [{ origin: 'starter', dir: STARTER_SCHEMA_DIR }] : []),
    ...addOns.flatMap((a) => (a.schemaDirs ?? []).map((dir) => ({ origin: `add-on ${a.name}`, dir }))),
    ...settings.schemas.path.map((dir) => ({ origin: 'config', dir })),
  ].map((source) => ({ ...source, dir: resolve(source.dir) }));
}
