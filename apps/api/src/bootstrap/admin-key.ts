import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * On the embedded default with no BEHAVIOR_ADMIN_KEY, the first start generates
 * one and keeps it (mode 0600) in the data directory so restarts reuse it.
 */
export function ensureAdminKey(
  config: AppConfig,
  embedded: boolean,
): { config: AppConfig; generated?: string; file?: string } {
  if (config.admin.key || !embedded) return { config };
  const file = join(resolve(config.dataDir), 'admin-key');
  let key: string;
  let generated: string | undefined;
  if (existsSync(file)) {
    key = readFileSync(file, 'utf8').trim();
  } else {
    key = `adm_${randomBytes(32).toString('base64url')}`;
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    generated = key;
  }
  const next = { ...config, admin: Object.freeze({ key }) };
  return { config: Object.freeze(next) as AppConfig, generated, file };
}
