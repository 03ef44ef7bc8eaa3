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

const BUCKET = 'behavior-cold';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const DAY = 86_400_000;

/** Every signal id in the bucket. */
async function coldIds(s3: S3Client): Promise<Set<string>> {
  const ids = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      const text = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString('utf8');
      for (const line of text.split('\n').filter(Boolean)) ids.add((JSON.parse(line) as { id: string }).id);
    }
    token = page.NextContinuationToken;
  } while (token);
  return ids;
}

// Hybrid storage: PostgreSQL keeps `hotDays` of signals, the s3 sink the cold copy.
describe('hybrid hot/cold retention (e2e, real S3-protocol server)', () => {
  let server: S3ServerProcess;
  let t: TestApp;
  let db: Client;
  let s3: S3Client;

  beforeAll(async () => {
    server = await S3ServerProcess.start(BUCKET);
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            sinks: [
              {
                name: 'cold',
                type: 's3',
                bucket: BUCKET,
                endpoint: server.endpoint,
                forcePathStyle: true,
                credentials: { ...CREDENTIALS },
                timeoutMs: 1000,
                batchSize: 25,
                flush: { maxAgeMs: 200 },
                hotDays: 2,
              },
            ],
          },
        },
      },
    });
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

  const retention = async () => {
    const run = await t.request('POST', '/api/ai-behavior/jobs/retention/run', { key: TEST_ADMIN_KEY });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('completed');
  };
  const stored = async () =>
    (
      await db.query<{ id: string; old: boolean }>(
        `select id::text, occurred_at < now() - interval '2 days' as old from behavior_signals`,
      )
    ).rows;

  it('drops a signal past its hot days from PostgreSQL only once the cold copy has it', async () => {
    await server.kill();
    const key = await createTenantWithKey(t, 'hybrid-co', ['ingest']);
    const now = Date.now();
    const signals = Array.from({ length: 60 }, (_, i) => ({
      schemaId: 'content.view',
      userId: `u-${i % 6}`,
      // Two thirds five days old (cold), a third from today (hot).
      timestamp: new Date(i % 3 === 0 ? now - 60_000 : now - 5 * DAY).toISOString(),
      attributes: { contentId: `c-${i}` },
    }));
    const ingest = await t.request('POST', '/api/ai-behavior/signals/batch', { key, body: { signals } });
    expect(ingest.status).toBe(200);
    const before = await stored();
    expect(before.filter((r) => r.old)).toHaveLength(40);

    // The cold store is down: nothing old may leave PostgreSQL.
    await retention();
    expect(await stored()).toHaveLength(60);

    await server.restart();
    const cold = await waitFor(
      () => coldIds(s3),
      (ids) => before.every((r) => ids.has(r.id)),
    );
    await retention();
    const after = await stored();
    // The hot third stays; the old signals are gone from PostgreSQL, each one in the bucket.
    expect(after.map((r) => r.id).sort()).toEqual(
      before
        .filter((r) => !r.old)
        .map((r) => r.id)
        .sort(),
    );
    for (const r of before.filter((x) => x.old)) expect(cold.has(r.id)).toBe(true);
  });

  it('refuses two s3 sinks that both claim the cold copy', async () => {
    const sink = (name: string) => ({
      name,
      type: 's3',
      bucket: BUCKET,
      endpoint: server.endpoint,
      hotDays: 2,
    });
    await expect(
      startTestApp({ overrides: { ai: { behavior: { sinks: [sink('one'), sink('two')] } } } }),
    ).rejects.toThrow(/hotDays is set on "one" and "two"/);
  });
});
