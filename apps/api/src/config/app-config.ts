export type { AppConfig } from './config.schema.js';
import type { AppConfig } from './config.schema.js';

/** The `ai.behavior` subtree: core's settings plus the add-ons' options. */
export type BehaviorConfig = AppConfig['ai']['behavior'];
