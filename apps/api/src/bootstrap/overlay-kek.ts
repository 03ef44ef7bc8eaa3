import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * The key-encryption key for overlay signing keys. On the embedded default with none configured,
 * the first start generates 32 random bytes and keeps them (mode 0600) in the data directory,
 * next to the database they protect, so restarts can still decrypt. With an external database
 * nothing is generated: several instances must share one KEK, so it has to come from config
 * (BEHAVIOR_OVERLAY_KEK); until then the server keeps no private keys (import public keys).
 */
export function ensureOverlayKek(config: AppConfig, embedded: boolean): { config: AppConfig; file?: string } {
  if (config.overlays.keyEncryptionKey || !embedded) return { config };
  const file = join(resolve(config.dataDir), 'overlay-kek');
  let kek: string;
  if (existsSync(file)) {
    kek = readFileSync(file, 'utf8').trim();
  } else {
    kek = randomBytes(32).toString('base64');
    writeFileSync(file, `${kek}\n`, { mode: 0o600 });
  }
  const next = { ...config, overlays: Object.freeze({ keyEncryptionKey: kek }) };
  return { config: Object.freeze(next) as AppConfig, file };
}
