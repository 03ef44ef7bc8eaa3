import type { BehaviorSettings } from '../config/behavior-settings.schema.js';

export type { BehaviorSettings };

export interface BehaviorCoreOptions {
  readonly settings: BehaviorSettings;
}

/** Injected so tests and replays can pin "now". */
export interface Clock {
  now(): Date;
}
