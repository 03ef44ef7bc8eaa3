import { Client } from 'pg';
import { Redis } from 'ioredis';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { RedisServerProcess } from '../../../test/support/redis-server.process';
import { waitFor } from '../../../test/support/wait-for';

const TENANTS = ['sink-a', 'sink-b'];
const USERS = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];

interface StreamEntry {
  readonly entryId: string;
  readonly fields: Record<string, string>;
}

/** Every entry of every tenant's stream, in stream order. */
async function readStreams(redis: Redis): Promise<Map<string, StreamEntry[]>> {
  const out = new Map<string, StreamEntry[]>();
  for (const tenant of TENANTS) {
    const entries = (await redis.xrange(`behavior:${tenant}`, '-', '+')) as [string, string[]][];
    out.set(
      tenant,
      entries.map(([entryId, flat]) => {
        const fields: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
        return { entryId, fields };
      }),
    );
  }
  return out;
}

/** Committed signals per (tenant, user), in commit order: what the stream must reproduce. */
async function committed(db: Client): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ tenant_id: string; user_id: string; id: string }>(
    `select tenant_id, user_id, id::text from behavior_signals order by xid, seq`,
  );
  const byUser = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.tenant_id}/${r.user_id}`;
    byUser.set(key, [...(byUser.get(key) ?? []), r.id]);
  }
  return byUser;
}

/** Per (tenant, user), the ids in the order they first appear in the streams. */
function deliveredOrder(streams: Map<string, StreamEntry[]>): Map<string, string[]> {
  const seen = new Set<string>();
  const byUser = new Map<string, string[]>();
  for (const [tenant, entries] of streams) {
    for (const { fields } of entries) {
      if (seen.has(fields.id)) continue;
      seen.add(fields.id);
      const key = `${tenant}/${fields.userId}`;
      byUser.set(key, [...(byUser.get(key) ?? []), fields.id]);
    }
  }
  return byUser;
}

const count = (m: Map<string, unknown[]>) => [...m.values()].reduce((n, v) => n + v.length, 0);

describe('redis-streams sink (e2e, real redis-server)', () => {
  let server: RedisServerProcess;
  let t: TestApp;
  let db: Client;
  let reader: Redis;
  const keys = new Map<string, string>();
  let sent = 0;

  /** One request per (tenant, user) at a time, so each user's signals commit in the order sent. */
  async function ingestRound(perUser: number): Promise<number[]> {
    const statuses: number[] = [];
    await Promise.all(
      TENANTS.flatMap((tenant) =>
        USERS.map(async (userId) => {
          const body = {
            signals: Array.from({ length: perUser }, () => ({
              schemaId: 'content.view',
              userId,
              attributes: { contentId: `c-${sent++}`, durationSeconds: 1 },
            })),
          };
          const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
            key: keys.get(tenant),
            body,
          });
          statuses.push(res.status);
        }),
      ),
    );
    return statuses;
  }

  beforeAll(async () => {
    server = await RedisServerProcess.start();
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            sinks: [
              {
                name: 'stream',
                type: 'redis-streams',
                url: server.url,
                stream: 'behavior:{tenant}',
                maxLen: 1_000_000,
                batchSize: 40,
                failureWarningMs: 300,
              },
            ],
          },
        },
      },
    });
    for (const tenant of TENANTS) keys.set(tenant, await createTenantWithKey(t, tenant, ['ingest']));
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    reader = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    reader.on('error', () => undefined);
    await reader.connect();
  });
  afterAll(async () => {
    reader?.disconnect();
    await db?.end();
    await t?.close();
    await server?.stop();
  });

  it('delivers every committed signal, each user in commit order, with exactly the documented fields', async () => {
    for (let round = 0; round < 4; round++) expect(new Set(await ingestRound(6))).toEqual(new Set([200]));
    const expected = await committed(db);
    expect(count(expected)).toBe(TENANTS.length * USERS.length * 24);

    const streams = await waitFor(
      () => readStreams(reader),
      (s) => count(deliveredOrder(s)) === count(expected),
    );
    expect(deliveredOrder(streams)).toEqual(expected);

    const { rows } = await db.query(
      `select id::text, tenant_id, schema_id, schema_version, user_id, session_id, occurred_at, ingested_at, attributes
         from behavior_signals where tenant_id = 'sink-a' order by xid, seq limit 1`,
    );
    const entry = streams.get('sink-a')!.find((e) => e.fields.id === rows[0].id)!;
    expect(Object.keys(entry.fields)).toEqual([
      'id',
      'tenantId',
      'schemaId',
      'schemaVersion',
      'userId',
      'sessionId',
      'occurredAt',
      'ingestedAt',
      'attributes',
    ]);
    expect(entry.fields).toEqual({
      id: rows[0].id,
      tenantId: 'sink-a',
      schemaId: 'content.view',
      schemaVersion: String(rows[0].schema_version),
      userId: rows[0].user_id,
      sessionId: '',
      occurredAt: rows[0].occurred_at.toISOString(),
      ingestedAt: rows[0].ingested_at.toISOString(),
      attributes: JSON.stringify(rows[0].attributes),
    });

    const consumers = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const sink = consumers.body.items.find((c: { name: string }) => c.name === 'sink:stream');
    expect(sink).toMatchObject({ delivery: 'external', sinkType: 'redis-streams', failures: 0, parked: 0 });
    expect(sink.signalsConsumed).toBe(count(expected));
  });

  it('keeps accepting while redis-server is killed, warns in health, and catches up after restart: nothing missing, duplicates only by id', async () => {
    const ingesting = (async () => {
      const statuses: number[] = [];
      for (let round = 0; round < 6; round++) {
        statuses.push(...(await ingestRound(3)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return statuses;
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await server.kill();

    // Down: the service still answers every ingest, health stays 200 with a sink warning.
    expect(new Set(await ingesting)).toEqual(new Set([200]));
    const health = await waitFor(
      () => t.request('GET', '/api/ai-behavior/health'),
      (r) => r.body.checks.sinks.status === 'warning',
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.checks.sinks).toMatchObject({
      status: 'warning',
      detail: 'failing too long: stream',
      sinks: [{ name: 'stream', type: 'redis-streams', status: 'warning', failingSince: expect.any(String) }],
    });
    const during = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const failing = during.body.items.find((c: { name: string }) => c.name === 'sink:stream');
    expect(failing.failures).toBeGreaterThan(0);
    expect(failing.failingSince).toEqual(expect.any(String));
    expect(failing.lagSignals).toBeGreaterThan(0);
    // An unavailable receiver is not a verdict on the signals: nothing is parked.
    expect(failing.parked).toBe(0);
    expect(new Set(await ingestRound(2))).toEqual(new Set([200]));

    await server.restart();
    const expected = await committed(db);
    const streams = await waitFor(
      () => readStreams(reader),
      (s) => count(deliveredOrder(s)) === count(expected),
    );
    expect(deliveredOrder(streams)).toEqual(expected);
    // Duplicates only of ids that were delivered, never of anything else.
    const ids = [...streams.values()].flat().map((e) => e.fields.id);
    const committedIds = new Set([...expected.values()].flat());
    expect(ids.filter((id) => !committedIds.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(committedIds.size);

    const healed = await waitFor(
      () => t.request('GET', '/api/ai-behavior/health'),
      (r) => r.body.checks.sinks.status === 'up',
    );
    expect(healed.body.checks.sinks.sinks[0]).toMatchObject({ status: 'up', failingSince: null });
    const after = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const sink = after.body.items.find((c: { name: string }) => c.name === 'sink:stream');
    expect(sink).toMatchObject({ failures: 0, failingSince: null, lagSignals: 0, parked: 0 });
  });
});
