import { createHash } from 'node:crypto';

/**
 * The stream partition of a signal: the first 32 bits (big-endian) of md5(tenant, 0x1f, user id
 * or else session id) modulo the partition count. A user's signals share one partition and keep
 * their order within it; md5 is stable across versions and languages (PostgreSQL:
 * `('x' || left(md5(...), 8))::bit(32)::bigint % n`), so the assignment never drifts.
 */
export function streamPartitionOf(
  tenantId: string,
  userId: string | null,
  sessionId: string | null,
  partitions: number,
): number {
  const digest = createHash('md5')
    .update(`${tenantId}\u001f${userId ?? sessionId ?? ''}`)
    .digest();
  return digest.readUInt32BE(0) % partitions;
}
