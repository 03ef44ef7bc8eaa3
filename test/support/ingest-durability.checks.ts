import { Client } from 'pg';
import type { SignalLoadClient } from './signal-load.client';

/** Creates tenant `acme` and an ingest key through the admin API of a running service. */
export async function createIngestKey(baseUrl: string, adminKey: string): Promise<string> {
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  await fetch(`${baseUrl}/api/admin/tenants`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: 'acme', name: 'Acme' }),
  });
  const res = await fetch(`${baseUrl}/api/admin/tenants/acme/api-keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ scopes: ['ingest'] }),
  });
  return ((await res.json()) as { key: string }).key;
}

/**
 * Every acknowledged key is stored exactly once, and so is every key that was retried;
 * `alsoAcked` are keys a test acknowledged outside the load clients.
 */
export async function expectExactlyOnce(
  url: string,
  clients: SignalLoadClient[],
  alsoAcked: readonly string[] = [],
): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ signal_key: string; n: string }>(
      `select signal_key, count(*) n from behavior_signals where tenant_id = 'acme' group by signal_key`,
    );
    const counts = new Map(rows.map((r) => [r.signal_key, Number(r.n)]));
    const acked = [...clients.flatMap((c) => [...c.acked]), ...alsoAcked];
    expect(acked.length).toBeGreaterThan(100);
    expect(acked.filter((k) => counts.get(k) !== 1)).toEqual([]);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    // Nothing stored that no client sent, and nothing a client sent is missing.
    expect(counts.size).toBe(new Set(acked).size);
  } finally {
    await db.end();
  }
}
