import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyType = 'secret' | 'publishable';

/** Publishable keys are recognisable by sight (and by the guard before any lookup). */
export const PUBLISHABLE_KEY_PREFIX = 'pk_';

// Keys carry 256 bits of entropy, so a fast unsalted SHA-256 is enough to make a
// leaked table useless, and it keeps the per-request lookup a single index probe.
export function generateApiKey(type: ApiKeyType = 'secret'): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString('hex');
  const key = `${type === 'publishable' ? PUBLISHABLE_KEY_PREFIX : 'bk_'}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
