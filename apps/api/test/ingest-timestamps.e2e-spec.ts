import { Client } from 'pg';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const view = (timestamp: string, contentId = 'c-1') => ({
  schemaId: 'content.view',
  userId: 'u-1',
  timestamp,
  attributes: { contentId },
});

describe('ingestion timestamp bounds (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = await createTenantWithKey(t, 'acme', ['ingest']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const partitions = async () =>
    Number(
      (await db.query(`select count(*) n from pg_inherits where inhparent = 'behavior_signals'::regclass`))
        .rows[0].n,
    );
  const batch = (signals: unknown[]) =>
    t.request('POST', '/api/ai-behavior/signals/batch', { key, body: { signals } });

  it('100 signals dated 1800-1899 are rejected too_old and create no partition', async () => {
    const before = await partitions();
    const signals = Array.from({ length: 100 }, (_, i) =>
      view(`${1800 + i}-${String((i % 12) + 1).padStart(2, '0')}-15T12:00:00Z`, `old-${i}`),
    );
    const res = await batch(signals);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: 100 });
    for (const r of res.body.results)
      expect(r.errors).toEqual([expect.objectContaining({ path: 'timestamp', code: 'too_old' })]);
    expect(await partitions()).toBe(before);
    expect(Number((await db.query(`select count(*) n from behavior_signals`)).rows[0].n)).toBe(0);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'format'], // no rollover to 2 March
    ['2025-04-31T10:00:00Z', 'format'],
    ['2023-02-29T10:00:00Z', 'format'], // not a leap year
    ['2026-01-01T24:00:00Z', 'format'],
    ['2026-01-01T10:60:00Z', 'format'],
    ['2026-01-01T10:00:00+25:00', 'format'],
    ['2026-13-01T10:00:00Z', 'format'],
    ['2026-01-01T10:00:00', 'format'], // no offset
    ['0001-01-01T00:00:00Z', 'too_old'],
    ['9999-12-31T23:59:59Z', 'clock_skew'],
  ])('rejects %s (%s)', async (timestamp, code) => {
    const res = await t.request('POST', '/api/ai-behavior/signals', { key, body: view(timestamp) });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'timestamp', code })]);
  });

  it('accepts a recent date with an offset, stored exactly', async () => {
    const recent = new Date(Date.now() - 30 * 86_400_000);
    const local = `${recent.toISOString().slice(0, 10)}T10:15:30.250+02:00`;
    const res = await t.request('POST', '/api/ai-behavior/signals', { key, body: view(local) });
    expect(res.status).toBe(201);
    const { rows } = await db.query('select occurred_at from behavior_signals where id = $1', [res.body.id]);
    expect(rows[0].occurred_at.toISOString()).toBe(`${recent.toISOString().slice(0, 10)}T08:15:30.250Z`);
  });
});

describe('ingestion partitions per request (e2e)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { ai: { behavior: { ingestion: { maxAgeDays: 36500 } } } } });
    key = await createTenantWithKey(t, 'acme', ['ingest']);
  });
  afterAll(() => t.close());

  it('a request spanning more than 24 months stores the first 24 and rejects the rest too_many_months', async () => {
    const signals = Array.from({ length: 30 }, (_, i) => view(`${1990 + i}-06-15T12:00:00Z`, `m-${i}`));
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', { key, body: { signals } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 24, rejected: 6 });
    expect(res.body.results.slice(24).map((r: any) => r.errors[0].code)).toEqual(
      Array(6).fill('too_many_months'),
    );
  });
});
