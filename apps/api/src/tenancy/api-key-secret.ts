import { createHash, randomBytes } from 'node:crypto';

// Keys carry 256 bits of entropy, so a fast unsalted SHA-256 is enough to make a
// leaked table useless, and it keeps the per-request lookup a single index probe.
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString('hex');
  const key = `bk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
