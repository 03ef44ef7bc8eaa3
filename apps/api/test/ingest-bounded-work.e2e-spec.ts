import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const SCHEMAS = `
- id: shop.tagged
  domain: shop
  version: 1
  summary: Something tagged
  retentionDays: 30
  pii: none
  additionalAttributes: reject
  attributes:
    - { name: name, type: string, required: true }
    - name: tags
      type: array
      maxItems: 20
      items: { type: string, maxLength: 16 }
`;

describe('ingestion work is bounded per item (e2e)', () => {
  let dir: string;
  let t: TestApp;
  let db: Client;
  let ingest: string;
  let read: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bounded-schemas-'));
    writeFileSync(join(dir, 'shop.yaml'), SCHEMAS);
    t = await startTestApp({ overrides: { ai: { behavior: { schemas: { starter: false, path: [dir] } } } } });
    ingest = await createTenantWithKey(t, 'acme', ['ingest']);
    read = await createTenantWithKey(t, 'acme', ['read']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (raw: string) =>
    t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      raw,
      headers: { 'content-type': 'application/json' },
    });

  it('a 2 MB item whose array holds 10^6 invalid elements answers fast with one small error, stored small', async () => {
    const raw = `{"schemaId":"shop.tagged","userId":"u-1","attributes":{"name":"n","tags":[${Array(1_000_000).fill('1').join(',')}]}}`;
    expect(raw.length).toBeGreaterThan(1_900_000);
    const started = Date.now();
    const res = await post(raw);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
    expect(res.body.details).toEqual([
      expect.objectContaining({ path: 'attributes.tags', code: 'max_items' }),
    ]);
    const { rows } = await db.query(
      `select octet_length(payload::text) bytes, payload->'truncated' truncated, jsonb_array_length(reasons) reasons
         from failed_signals where tenant_id = 'acme' order by failed_at desc limit 1`,
    );
    expect(rows[0]).toEqual({ bytes: expect.any(Number), truncated: true, reasons: 1 });
    expect(rows[0].bytes).toBeLessThan(20_000);
  });

  it('within the array ceiling, validation stops at the first error of a large item', async () => {
    const raw = `{"schemaId":"shop.tagged","userId":"u-1","attributes":{"name":"n","tags":[${Array(9_000).fill('1').join(',')}]}}`;
    const res = await post(raw);
    expect(res.status).toBe(422);
    expect(res.body.details).toHaveLength(1);
  });

  it('a small item with many problems lists the first 20 and counts them all', async () => {
    const attributes: Record<string, number> = { name: 1 };
    for (let i = 0; i < 500; i++) attributes[`extra${i}`] = i;
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingest,
      body: { signals: [{ schemaId: 'shop.tagged', userId: 'u-1', attributes }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].errors).toHaveLength(20);
    expect(res.body.results[0].errorCount).toBe(501);
  });

  it('the failed-signals list caps its page size and each row, even for rows stored before the caps', async () => {
    // A row as the uncapped service wrote it: a 1 MB payload and 5,000 reasons.
    await db.query(
      `insert into failed_signals (id, tenant_id, schema_id, schema_version, signal_key, payload, reasons, failed_at)
       values (gen_random_uuid(), 'acme', 'shop.tagged', 1, null,
               jsonb_build_object('blob', repeat('x', 1000000)),
               (select jsonb_agg(jsonb_build_object('path', 'attributes.tags[' || i || ']', 'code', 'type', 'message', 'must be string'))
                  from generate_series(1, 5000) i),
               now())`,
    );
    const tooBig = await t.request('GET', '/api/ai-behavior/failed-signals?limit=500', { key: read });
    expect(tooBig.status).toBe(400);
    const res = await fetch(`${t.baseUrl}/api/ai-behavior/failed-signals?limit=100`, {
      headers: { authorization: `Bearer ${read}` },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text.length).toBeLessThan(100_000);
    const legacy = JSON.parse(text).items.find((item: any) => item.reasons.length === 20);
    expect(legacy.payload).toMatchObject({ truncated: true });
  });

  it('a replay leaves a truncated row failing with its original reasons', async () => {
    const res = await t.request('POST', '/api/ai-behavior/failed-signals/replay', {
      key: ingest,
      body: { limit: 10 },
    });
    expect(res.status).toBe(200);
    expect(res.body.replayed).toBe(0);
    const { rows } = await db.query(
      `select reasons->0->>'code' code from failed_signals
        where tenant_id = 'acme' and payload->>'truncated' = 'true' and payload ? 'preview'
          and octet_length(payload->>'preview') > 1000 and reasons->0->>'path' = 'attributes.tags'`,
    );
    expect(rows.map((r) => r.code).sort()).toEqual(['max_items', 'max_items']);
  });
});
