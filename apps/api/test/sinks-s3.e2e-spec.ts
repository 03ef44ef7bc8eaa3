import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { S3ServerProcess } from '../../../test/support/s3-server.process';
import { waitFor } from '../../../test/support/wait-for';

const BUCKET = 'behavior-lake';
const PREFIX = 'signals/';
const TENANTS = ['lake-a', 'lake-b'];
const USERS = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
// s3rver's built-in credentials.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const KEY =
  /^signals\/tenant=([^/]+)\/schema=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/(\d+)-(\d+)-(\d+)\.ndjson\.gz$/;

interface LakeObject {
  readonly key: string;
  readonly lines: Record<string, unknown>[];
}

async function readLake(s3: S3Client): Promise<LakeObject[]> {
  const objects: LakeObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: token }),
    );
    for (const { Key } of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
      objects.push({
        key: Key!,
        lines: text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** Committed signals per (tenant, user), in commit order. */
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

/** Per (tenant, user), ids in order of first appearance, objects taken by partition and first seq. */
function deliveredOrder(objects: readonly LakeObject[]): Map<string, string[]> {
  const sorted = [...objects].sort((a, b) => {
    const [, , , , pa, fa] = KEY.exec(a.key)!;
    const [, , , , pb, fb] = KEY.exec(b.key)!;
    return Number(pa) - Number(pb) || Number(BigInt(fa) - BigInt(fb));
  });
  const seen = new Set<string>();
  const byUser = new Map<string, string[]>();
  for (const o of sorted) {
    for (const line of o.lines) {
      const id = line.id as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const key = `${String(line.tenantId)}/${String(line.userId)}`;
      byUser.set(key, [...(byUser.get(key) ?? []), id]);
    }
  }
  return byUser;
}

const count = (m: Map<string, unknown[]>) => [...m.values()].reduce((n, v) => n + v.length, 0);

describe('s3 sink (e2e, real S3-protocol server)', () => {
  let server: S3ServerProcess;
  let t: TestApp;
  let db: Client;
  let s3: S3Client;
  const keys = new Map<string, string>();
  let sent = 0;

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
    server = await S3ServerProcess.start(BUCKET);
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            sinks: [
              {
                name: 'lake',
                type: 's3',
                bucket: BUCKET,
                prefix: PREFIX,
                endpoint: server.endpoint,
                region: 'us-east-1',
                forcePathStyle: true,
                credentials: { ...CREDENTIALS },
                flush: { maxBytes: 8 * 1024 * 1024, maxAgeMs: 300 },
                timeoutMs: 2000,
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
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { ...CREDENTIALS },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await db?.end();
    await t?.close();
    await server?.stop();
  });

  it('writes every committed signal as gzipped NDJSON under the documented keys, each user in commit order', async () => {
    for (let round = 0; round < 4; round++) expect(new Set(await ingestRound(6))).toEqual(new Set([200]));
    const expected = await committed(db);
    expect(count(expected)).toBe(TENANTS.length * USERS.length * 24);

    const objects = await waitFor(
      () => readLake(s3),
      (o) => count(deliveredOrder(o)) === count(expected),
    );
    expect(deliveredOrder(objects)).toEqual(expected);

    const { rows } = await db.query<{
      id: string;
      seq: string;
      tenant_id: string;
      schema_id: string;
      schema_version: number;
      user_id: string;
      session_id: string | null;
      occurred_at: Date;
      ingested_at: Date;
      attributes: Record<string, unknown>;
    }>(
      `select id::text, seq::text, tenant_id, schema_id, schema_version, user_id, session_id, occurred_at, ingested_at, attributes
         from behavior_signals`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const o of objects) {
      const [, tenant, schema, date, , firstSeq, lastSeq] = KEY.exec(o.key) ?? [];
      expect(tenant).toBeDefined();
      expect(o.lines.length).toBeGreaterThan(0);
      // The key names what the object holds: its group and its first and last signal's seq.
      expect(byId.get(o.lines[0].id as string)!.seq).toBe(firstSeq);
      expect(byId.get(o.lines[o.lines.length - 1].id as string)!.seq).toBe(lastSeq);
      for (const line of o.lines) {
        const row = byId.get(line.id as string)!;
        expect(Object.keys(line)).toEqual([
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
        expect(line).toEqual({
          id: row.id,
          tenantId: tenant,
          schemaId: schema,
          schemaVersion: row.schema_version,
          userId: row.user_id,
          sessionId: row.session_id,
          occurredAt: row.occurred_at.toISOString(),
          ingestedAt: row.ingested_at.toISOString(),
          attributes: row.attributes,
        });
        expect(row.tenant_id).toBe(tenant);
        expect(row.schema_id).toBe(schema);
        expect(row.occurred_at.toISOString().slice(0, 10)).toBe(date);
      }
    }

    const consumers = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const sink = consumers.body.items.find((c: { name: string }) => c.name === 'sink:lake');
    expect(sink).toMatchObject({ delivery: 'external', sinkType: 's3', failures: 0, parked: 0 });
    expect(sink.signalsConsumed).toBe(count(expected));
  });

  it('keeps accepting while the S3 server is killed, warns in health, and catches up after restart: nothing missing, duplicates only by id', async () => {
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

    expect(new Set(await ingesting)).toEqual(new Set([200]));
    const health = await waitFor(
      () => t.request('GET', '/api/ai-behavior/health'),
      (r) => r.body.checks.sinks.status === 'warning',
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.checks.sinks).toMatchObject({
      status: 'warning',
      detail: 'failing too long: lake',
      sinks: [{ name: 'lake', type: 's3', status: 'warning', failingSince: expect.any(String) }],
    });
    const during = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const failing = during.body.items.find((c: { name: string }) => c.name === 'sink:lake');
    expect(failing.failures).toBeGreaterThan(0);
    expect(failing.lagSignals).toBeGreaterThan(0);
    expect(failing.parked).toBe(0);
    expect(new Set(await ingestRound(2))).toEqual(new Set([200]));

    await server.restart();
    const expected = await committed(db);
    const objects = await waitFor(
      () => readLake(s3),
      (o) => count(deliveredOrder(o)) === count(expected),
    );
    expect(deliveredOrder(objects)).toEqual(expected);
    const ids = objects.flatMap((o) => o.lines.map((l) => l.id as string));
    const committedIds = new Set([...expected.values()].flat());
    expect(ids.filter((id) => !committedIds.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(committedIds.size);

    const healed = await waitFor(
      () => t.request('GET', '/api/ai-behavior/health'),
      (r) => r.body.checks.sinks.status === 'up',
    );
    expect(healed.body.checks.sinks.sinks[0]).toMatchObject({ status: 'up', failingSince: null });
    const after = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    const sink = after.body.items.find((c: { name: string }) => c.name === 'sink:lake');
    expect(sink).toMatchObject({ failures: 0, failingSince: null, lagSignals: 0, parked: 0 });
  });
});
