import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { RedisServerProcess } from '../../../test/support/redis-server.process';
import { S3ServerProcess } from '../../../test/support/s3-server.process';
import { waitFor } from '../../../test/support/wait-for';

const BUCKET = 'privacy-lake';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const PER_USER = 30;

/** userId of every entry of a stream. */
async function usersIn(redis: Redis, key: string): Promise<string[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(
    ([, fields]) => `${fields[fields.indexOf('tenantId') + 1]}/${fields[fields.indexOf('userId') + 1]}`,
  );
}

describe('privacy (e2e): erasures forwarded to sinks (redis-streams XDEL, s3 tombstone)', () => {
  let redisServer: RedisServerProcess;
  let s3Server: S3ServerProcess;
  let t: TestApp;
  let redis: Redis;
  let s3: S3Client;
  const keys: Record<string, { ingest: string; admin: string }> = {};

  beforeAll(async () => {
    redisServer = await RedisServerProcess.start();
    s3Server = await S3ServerProcess.start(BUCKET);
    const common = { batchSize: 40, failureWarningMs: 300 };
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            sinks: [
              // One stream per tenant, and one shared by every tenant (scanned by tenantId).
              {
                name: 'per-tenant',
                type: 'redis-streams',
                url: redisServer.url,
                stream: 'pv:{tenant}',
                maxLen: 100000,
                ...common,
              },
              {
                name: 'shared',
                type: 'redis-streams',
                url: redisServer.url,
                stream: 'pv:all',
                maxLen: 100000,
                ...common,
              },
              {
                name: 'lake',
                type: 's3',
                bucket: BUCKET,
                prefix: 'signals/',
                endpoint: s3Server.endpoint,
                region: 'us-east-1',
                forcePathStyle: true,
                credentials: { ...CREDENTIALS },
                flush: { maxBytes: 8 * 1024 * 1024, maxAgeMs: 100 },
                timeoutMs: 2000,
                ...common,
              },
            ],
          },
        },
      },
    });
    for (const tenant of ['pa', 'pb'])
      keys[tenant] = {
        ingest: await createTenantWithKey(t, tenant, ['ingest']),
        admin: await createTenantWithKey(t, tenant, ['admin']),
      };
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect();
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: s3Server.endpoint,
      forcePathStyle: true,
      credentials: { ...CREDENTIALS },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    redis?.disconnect();
    s3?.destroy();
    await t?.close();
    await redisServer?.stop();
    await s3Server?.stop();
  });

  const settle = (id: string) =>
    waitFor(
      () => t.request('GET', `/api/ai-behavior/erasures/${id}`, { key: TEST_ADMIN_KEY }),
      (r) => r.body?.status === 'completed' || r.body?.status === 'failed',
      30_000,
    );

  const tombstone = async (tenant: string, erasureId: string) => {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `signals/tombstones/${tenant}/${erasureId}.json` }),
    );
    return JSON.parse(await got.Body!.transformToString());
  };

  it('deletes the user from redis streams, leaves others, and writes an s3 tombstone without the id', async () => {
    for (const tenant of ['pa', 'pb'])
      for (const userId of ['u-x', 'u-y']) {
        const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
          key: keys[tenant].ingest,
          body: {
            signals: Array.from({ length: PER_USER }, (_, i) => ({
              schemaId: 'content.view',
              userId,
              attributes: { contentId: `c-${i}`, durationSeconds: 1 },
            })),
          },
        });
        expect(res.body.accepted).toBe(PER_USER);
      }
    await waitFor(
      () => Promise.all([redis.xlen('pv:pa'), redis.xlen('pv:pb'), redis.xlen('pv:all')]),
      ([a, b, all]) => a === 2 * PER_USER && b === 2 * PER_USER && all === 4 * PER_USER,
    );

    const res = await t.request('DELETE', '/api/ai-behavior/users/u-x', { key: keys.pa.admin });
    const done = await settle(res.body.erasureId);
    expect(done.body.status).toBe('completed');
    // 30 from pv:pa, 30 from pv:all, one tombstone.
    expect(done.body.counts['hook:sinks']).toBe(2 * PER_USER + 1);

    const pa = await usersIn(redis, 'pv:pa');
    expect(pa).toHaveLength(PER_USER);
    expect(new Set(pa)).toEqual(new Set(['pa/u-y']));
    expect(new Set(await usersIn(redis, 'pv:pb'))).toEqual(new Set(['pb/u-x', 'pb/u-y']));
    const all = await usersIn(redis, 'pv:all');
    expect(all).not.toContain('pa/u-x');
    expect(all).toHaveLength(3 * PER_USER);

    const stone = await tombstone('pa', res.body.erasureId);
    expect(stone).toEqual({
      erasureId: res.body.erasureId,
      kind: 'user',
      tenantId: 'pa',
      userHash: done.body.userHash,
      objectsUnder: 'signals/tenant=pa/',
      erasedAt: expect.any(String),
    });
    expect(JSON.stringify(stone)).not.toContain('u-x');
  });

  it('on tenant deletion drops its stream, its entries of a shared stream, and tombstones the tenant', async () => {
    const res = await t.request('DELETE', '/api/admin/tenants/pb', { key: TEST_ADMIN_KEY });
    expect(res.status).toBe(202);
    const done = await settle(res.body.erasureId);
    expect(done.body.status).toBe('completed');
    expect(await redis.exists('pv:pb')).toBe(0);
    expect(new Set(await usersIn(redis, 'pv:all'))).toEqual(new Set(['pa/u-y']));
    expect(await tombstone('pb', res.body.erasureId)).toMatchObject({
      kind: 'tenant',
      tenantId: 'pb',
      userHash: null,
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'signals/tombstones/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toHaveLength(2);
  });
});
