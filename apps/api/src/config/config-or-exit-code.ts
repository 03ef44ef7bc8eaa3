import type { AppConfig } from './app-config.js';
import { EX_CONFIG } from './exit-codes.js';
import { ConfigError, loadConfig, type LoadConfigOptions } from './load-config.js';

export { EX_CONFIG };

/**
 * The configuration, or EX_CONFIG after writing its problems to stderr. The problems already
 * name the key and the reason, so a stack trace would only bury them.
 */
export function loadConfigOrExitCode(options: LoadConfigOptions = {}): AppConfig | typeof EX_CONFIG {
  try {
    return loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EX_CONFIG;
  }
}
