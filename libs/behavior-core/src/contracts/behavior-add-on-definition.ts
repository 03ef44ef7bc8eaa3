import type { MigrationObject } from '@mikro-orm/core';
import type { KnownExtensionNames } from '../add-ons/extension-names.js';
import type { BehaviorAddOn } from './behavior-add-on.js';

/** An object JSON Schema with `additionalProperties: false`, every key optional (defaults fill the rest). */
export interface AddOnOptionsSchema {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Everything a domain add-on brings, listed once by the host app (see docs/add-ons.md). The host
 * embeds `optionsSchema` under `ai.behavior.addOns.<name>` (adding the `enabled` switch), runs
 * `migrations` after its own, and hands `create(options)` of each enabled add-on to
 * `BehaviorCoreModule.forRoot({ addOns })`.
 */
export interface BehaviorAddOnDefinition<TOptions extends object = Record<string, unknown>> {
  /** The key under `ai.behavior.addOns`; unique among the host's add-ons. */
  readonly name: string;
  readonly optionsSchema: AddOnOptionsSchema;
  /** Values beneath the host's YAML for `ai.behavior.addOns.<name>`; `enabled` is false unless set here. */
  readonly defaults?: Readonly<Partial<TOptions> & { enabled?: boolean }>;
  /** The add-on's own tables, applied in order after the host's migrations while it is enabled. */
  readonly migrations?: readonly MigrationObject[];
  /**
   * What the JSON Schema cannot say (bounds in order, a real time zone), as `key.path: reason`
   * relative to the options; checked enabled or not, so a disabled add-on's options stay valid.
   */
  optionProblems?(options: TOptions): string[];
  /** Names the options refer to that nothing registers (checked while enabled), as `key.path: reason`. */
  extensionNameProblems?(options: TOptions, known: KnownExtensionNames): string[];
  /** The add-on as core takes it: its module, schema directories, extension names and seams. */
  create(options: TOptions): BehaviorAddOn;
}
